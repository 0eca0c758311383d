// A job sized by a time budget: its task count stays within the probe's and
// the cap, a multiple of the workers, and the progress line counts every task
// it ran — the probe's, the warmup's and the measured trial's.
#include "coordinator/bench/sized_job.h"

#include <gtest/gtest.h>

#include <sstream>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

pb::JobSpec NoopJob(pb::Mode mode, int workers) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_threads(1);
  return job;
}

struct QuietLine {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress{sink, /*enabled=*/false, 80, clock, 0};
};

TEST(SizedJobTest, ATinyBudgetRunsAsManyTasksAsTheProbe) {
  QuietLine line;
  Result<JobOutcome> outcome = RunSizedJob(NoopJob(pb::SEQ, 1), 5000, 1e-12, &line.progress);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->job.tasks(), kSizingProbeTasks);
  EXPECT_EQ(outcome->records.size(), static_cast<size_t>(kSizingProbeTasks));
  // The probe's warmup and trial, then the job's warmup and trial.
  EXPECT_EQ(line.progress.done(), 4 * kSizingProbeTasks);
  EXPECT_EQ(line.progress.total(), 4 * kSizingProbeTasks);
}

TEST(SizedJobTest, ALargeBudgetStopsAtTheCapRoundedToTheWorkers) {
  QuietLine line;
  line.progress.StartCount(7);  // an earlier step's count: the job starts its own
  line.progress.AddDone(7);
  Result<JobOutcome> outcome = RunSizedJob(NoopJob(pb::THREADS, 3), 1000, 1e6, &line.progress);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const int64_t tasks = outcome->job.tasks();
  EXPECT_GE(tasks, 1000);
  EXPECT_LT(tasks, 1003);
  EXPECT_EQ(tasks % 3, 0);
  EXPECT_EQ(line.progress.done(), 2 * kSizingProbeTasks + 2 * tasks);
  EXPECT_EQ(line.progress.total(), 2 * kSizingProbeTasks + 2 * tasks);
}

TEST(SizedJobTest, SeveralTrialsAreRunAndCounted) {
  QuietLine line;
  Result<JobOutcome> outcome =
      RunSizedJob(NoopJob(pb::SEQ, 1), 1000, 1e6, &line.progress, /*trials=*/3);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const int64_t tasks = outcome->job.tasks();
  EXPECT_EQ(tasks, 1000);
  EXPECT_EQ(outcome->trial_wall_ns.size(), 3u);
  EXPECT_EQ(line.progress.done(), 2 * kSizingProbeTasks + 4 * tasks);
  EXPECT_EQ(line.progress.total(), 2 * kSizingProbeTasks + 4 * tasks);
}

TEST(SizedJobTest, ABadJobIsRefusedBeforeAnythingRuns) {
  pb::JobSpec job = NoopJob(pb::THREADS, 0);
  EXPECT_EQ(RunSizedJob(job, 1000, 0.1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parlab
