// Jobs taking turns: every session runs its trials in rounds, the progress
// count follows the trials that ran, and labels say which job runs. Uses the
// in-process seq and threads modes on noop tasks: quick, no timing checked.
#include "coordinator/runtime/trial_turns.h"

#include <gtest/gtest.h>

#include <sstream>

#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

pb::JobSpec NoopJob(pb::Mode mode, int workers) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_tasks(10);
  job.set_warmup(1);
  job.set_trials(2);
  return job;
}

TEST(TrialTurnsTest, LabelsNameModeAndWorkers) {
  EXPECT_EQ(JobLabel(NoopJob(pb::SEQ, 1)), "seq");
  EXPECT_EQ(JobLabel(NoopJob(pb::PROCS, 4)), "procs, 4 workers");
  EXPECT_EQ(JobLabel(NoopJob(pb::THREADS, 1)), "threads, 1 worker");
  pb::JobSpec blas = NoopJob(pb::BLAS, 1);
  blas.set_threads(2);
  EXPECT_EQ(JobLabel(blas), "blas, 2 threads");
  pb::JobSpec hybrid = NoopJob(pb::HYBRID, 2);
  hybrid.set_threads(1);
  EXPECT_EQ(JobLabel(hybrid), "hybrid, 2 workers x 1 thread");
}

TEST(TrialTurnsTest, TaskCountIncludesWarmups) { EXPECT_EQ(JobTaskCount(NoopJob(pb::SEQ, 1)), 30); }

TEST(TrialTurnsTest, EverySessionRunsItsTrialsInRounds) {
  const pb::JobSpec seq = NoopJob(pb::SEQ, 1);
  const pb::JobSpec threads = NoopJob(pb::THREADS, 2);
  ASSERT_TRUE(ValidateJob(seq).ok());
  ASSERT_TRUE(ValidateJob(threads).ok());
  Result<std::unique_ptr<JobSession>> a = JobSession::Start(seq, nullptr);
  Result<std::unique_ptr<JobSession>> b = JobSession::Start(threads, nullptr);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, /*enabled=*/false, 80, clock, JobTaskCount(seq) + JobTaskCount(threads));
  const std::vector<Turn> turns = {{a->get(), JobLabel(seq), seq.tasks()},
                                   {b->get(), JobLabel(threads), threads.tasks()}};
  ASSERT_TRUE(RunInTurns(turns, 2, &progress).ok());
  EXPECT_EQ(progress.done(), 40);  // warmup and one trial each
  // More rounds than trials left: the sessions that are done pass.
  ASSERT_TRUE(RunInTurns(turns, 3, &progress).ok());
  EXPECT_EQ(progress.done(), 60);
  EXPECT_EQ(progress.done(), progress.total());
  for (Result<std::unique_ptr<JobSession>>* session : {&a, &b}) {
    Result<JobOutcome> outcome = (**session)->Finish();
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_EQ(outcome->trial_wall_ns.size(), 2u);  // the warmup is not kept
    EXPECT_EQ(outcome->records.size(), 20u);
  }
  EXPECT_EQ(sink.str(), "");
}

TEST(TrialTurnsTest, ANullProgressIsAllowed) {
  const pb::JobSpec seq = NoopJob(pb::SEQ, 1);
  Result<std::unique_ptr<JobSession>> a = JobSession::Start(seq, nullptr);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(RunInTurns({{a->get(), "seq", seq.tasks()}}, 3, nullptr).ok());
  Result<JobOutcome> outcome = (*a)->Finish();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->trial_wall_ns.size(), 2u);
}

}  // namespace
}  // namespace parlab
