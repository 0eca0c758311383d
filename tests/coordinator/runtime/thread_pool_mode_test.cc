// The threads and gil modes over their lock-free claims: every trial's tasks
// run exactly once, each record's stamps in order, trial after trial, with
// more threads than tasks and chunks that do not divide the trial. No
// timings are asserted.
#include "coordinator/runtime/thread_pool_mode.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "tests/support/job_outcome_checks.h"

namespace parlab {
namespace {

pb::JobSpec Job(pb::Mode mode, int workers, int64_t tasks, int chunk, pb::WaitPolicy wait) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_tasks(tasks);
  job.set_chunk(chunk);
  job.set_wait(wait);
  job.set_switch_interval_ms(0.5);
  return job;
}

void ExpectTrial(const TrialRun& run, const pb::JobSpec& job, int32_t trial, uint64_t first_id) {
  ASSERT_EQ(run.records.size(), static_cast<size_t>(job.tasks()));
  EXPECT_GE(run.wall_ns, 0);
  for (size_t i = 0; i < run.records.size(); ++i) {
    const TaskRecord& r = run.records[i];
    ASSERT_EQ(r.id, first_id + i) << "a task ran twice or never (by slot)";
    EXPECT_EQ(r.trial, trial);
    EXPECT_GE(r.worker, 0);
    EXPECT_LT(r.worker, job.workers());
    EXPECT_EQ(r.outcome, TaskOutcome::kOk);
    ExpectStampsInOrder(r.t);
  }
}

void RunTrials(const pb::JobSpec& job, int trials) {
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  ThreadPoolMode mode(job, job.mode() == pb::GIL);
  ASSERT_TRUE(mode.Start().ok());
  uint64_t first_id = 0;
  for (int32_t trial = 0; trial < trials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    Result<TrialRun> run = mode.RunTrial(trial, first_id);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    ExpectTrial(*run, job, trial, first_id);
    first_id += static_cast<uint64_t>(job.tasks());
  }
  mode.Stop();
  mode.Stop();  // idempotent
  const std::vector<std::string> notes = mode.Notes();
  bool wait_note = false;
  for (const std::string& note : notes) wait_note |= note.find("wait: ") != std::string::npos;
  EXPECT_TRUE(wait_note);
}

struct Case {
  pb::Mode mode;
  int workers;
  int64_t tasks;
  int chunk;  // 0: auto
  pb::WaitPolicy wait;
};

class ThreadPoolModeTest : public ::testing::TestWithParam<Case> {};

TEST_P(ThreadPoolModeTest, EveryTaskOnceWithOrderedStamps) {
  const Case c = GetParam();
  RunTrials(Job(c.mode, c.workers, c.tasks, c.chunk, c.wait), 30);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ThreadPoolModeTest,
    ::testing::Values(Case{pb::THREADS, 4, 1000, 1, pb::ADAPTIVE},
                      Case{pb::THREADS, 3, 1001, 7, pb::BLOCK},  // chunks that do not divide
                      Case{pb::THREADS, 2, 500, 0, pb::SPIN},    // auto chunk
                      Case{pb::THREADS, 6, 2, 1, pb::ADAPTIVE},  // more threads than tasks
                      Case{pb::GIL, 3, 300, 1, pb::ADAPTIVE}, Case{pb::GIL, 2, 100, 4, pb::BLOCK}));

TEST(ThreadPoolModeTest, StopsWithoutATrial) {
  ThreadPoolMode mode(Job(pb::THREADS, 3, 10, 1, pb::ADAPTIVE), false);
  ASSERT_TRUE(mode.Start().ok());
  mode.Stop();
}

TEST(ThreadPoolModeTest, GilModeStillReportsTheLock) {
  const pb::JobSpec job = Job(pb::GIL, 2, 50, 1, pb::ADAPTIVE);
  ThreadPoolMode mode(job, true);
  ASSERT_TRUE(mode.Start().ok());
  ASSERT_TRUE(mode.RunTrial(0, 0).ok());
  mode.Stop();
  ASSERT_FALSE(mode.Notes().empty());
  EXPECT_EQ(mode.Notes().front().find("global lock:"), 0u);  // first, as the tour reads it
}

}  // namespace
}  // namespace parlab
