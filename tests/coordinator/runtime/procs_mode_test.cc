// The procs mode with real workers: every wait policy and chunk size delivers
// every task of every trial once, answered with the checksum the kernel
// computes here, and nothing is left afterwards (tests/support/strict_job_checks.h).
#include "coordinator/runtime/procs_mode.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "tests/support/job_outcome_checks.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

pb::JobSpec ProcsJob(pb::WaitPolicy wait, int chunk, int64_t tasks) {
  pb::JobSpec job = DefaultJob();
  // sum reads its input through the transport: a worker that read the wrong
  // bytes would answer with another checksum.
  *job.mutable_kernel() = FindKernel("sum")->Defaults();
  job.mutable_kernel()->set_n(64);
  job.set_mode(pb::PROCS);
  job.set_workers(2);
  job.set_tasks(tasks);
  job.set_warmup(1);
  job.set_trials(2);
  job.set_wait(wait);
  job.set_chunk(chunk);
  return job;
}

TEST(ProcsModeTest, AutoChunkFollowsPoolMap) {
  EXPECT_EQ(ProcsMode::AutoChunk(100, 2), 13);  // ceil(100 / 8)
  EXPECT_EQ(ProcsMode::AutoChunk(8, 2), 1);
  EXPECT_EQ(ProcsMode::AutoChunk(1, 4), 1);
}

struct Case {
  pb::WaitPolicy wait;
  int chunk;
};

class ProcsModeRunTest : public ::testing::TestWithParam<Case> {};

TEST_P(ProcsModeRunTest, EveryTaskOnceAndNothingLeft) {
  const Case c = GetParam();
  const pb::JobSpec job = ProcsJob(c.wait, c.chunk, 50);
  ASSERT_TRUE(ValidateJob(job).ok());
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ExpectStrictOutcome(*outcome);
  std::set<int> workers;
  for (const TaskRecord& r : outcome->records) {
    workers.insert(r.worker);
    EXPECT_LE(r.t.dequeued_ns, r.t.compute_start_ns);
    EXPECT_LE(r.t.compute_end_ns, r.t.result_enqueued_ns);
  }
  EXPECT_EQ(workers.size(), 2u);  // credits give both workers work
}

// A trial of as many tasks as workers, with room for all of them in one
// worker's credits, still reaches every worker: frames go out one per worker
// per round. (The scheduler once filled worker 0's credits first, so with 2
// tasks, 2 workers and 2 in flight both went to worker 0 and procs ran as seq.)
TEST(ProcsModeTest, ShortTrialReachesEveryWorker) {
  pb::JobSpec job = ProcsJob(pb::BLOCK, 1, 2);
  job.set_inflight(2);
  ASSERT_TRUE(ValidateJob(job).ok());
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ExpectStrictOutcome(*outcome);  // 2 trials of 2
  for (int32_t trial : {0, 1}) {
    std::set<int> workers;
    for (const TaskRecord& r : outcome->records) {
      if (r.trial == trial) workers.insert(r.worker);
    }
    EXPECT_EQ(workers, (std::set<int>{0, 1})) << "trial " << trial;
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, ProcsModeRunTest,
                         ::testing::Values(Case{pb::SPIN, 1}, Case{pb::BLOCK, 1},
                                           Case{pb::ADAPTIVE, 1}, Case{pb::ADAPTIVE, 7},
                                           Case{pb::BLOCK, 0}));

// Dispatch shards (--dispatchers): several coordinator threads, each for its
// own group of workers, still answer every task once with the kernel's
// checksum, with every stamp in order, and say in the notes which dispatch ran.
struct ShardCase {
  int workers;
  int dispatchers;
  pb::WaitPolicy wait;
  int chunk;
};

class ProcsModeShardTest : public ::testing::TestWithParam<ShardCase> {};

TEST_P(ProcsModeShardTest, EveryTaskOnceWithItsStamps) {
  const ShardCase c = GetParam();
  pb::JobSpec job = ProcsJob(c.wait, c.chunk, 301);  // not a multiple of any block
  job.set_workers(c.workers);
  job.set_dispatchers(c.dispatchers);
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  // Each worker index in range is checked there; not "every worker ran
  // some": a shard's thread that the scheduler of this busy 2-core machine
  // does not run for a while leaves the trial to the others, which claim its
  // tasks — as they should.
  ExpectStrictOutcome(*outcome);
  for (const TaskRecord& r : outcome->records) ExpectStampsInOrder(r.t);
  const std::string expected = "dispatch: " + std::to_string(c.dispatchers) + " dispatcher threads";
  bool noted = false;
  for (const std::string& note : outcome->notes) noted |= note.find(expected) != std::string::npos;
  EXPECT_TRUE(noted) << "no note says '" << expected << "'";
}

INSTANTIATE_TEST_SUITE_P(Shards, ProcsModeShardTest,
                         ::testing::Values(ShardCase{2, 2, pb::SPIN, 1},
                                           ShardCase{4, 3, pb::BLOCK, 1},
                                           ShardCase{3, 2, pb::ADAPTIVE, 1},
                                           ShardCase{4, 2, pb::ADAPTIVE, 7}));

TEST(ProcsModeTest, MissingWorkerBinaryIsAClearErrorAndLeavesNothing) {
  const char* real = std::getenv("PARLAB_WORKER");
  const std::string saved = real != nullptr ? real : "";
  ASSERT_EQ(setenv("PARLAB_WORKER", "/nonexistent/parlab-worker", 1), 0);
  Result<JobOutcome> outcome = RunJob(ProcsJob(pb::ADAPTIVE, 1, 4));
  if (saved.empty()) {
    unsetenv("PARLAB_WORKER");
  } else {
    setenv("PARLAB_WORKER", saved.c_str(), 1);
  }
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("/nonexistent/parlab-worker"), std::string::npos);
  ExpectNothingLeft();
}

// Each worker's own adaptive choice reaches run's notes (through its
// WorkerBoard), beside the coordinator's: 50 tasks a trial, 3 trials, so each
// worker waited at least for its frames.
TEST(ProcsModeTest, NotesSayHowEachWorkerWaited) {
  const pb::JobSpec job = ProcsJob(pb::ADAPTIVE, 1, 50);
  ASSERT_TRUE(ValidateJob(job).ok());
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  for (const std::string worker : {"worker 0 wait: adaptive → ", "worker 1 wait: adaptive → "}) {
    const auto note = std::find_if(outcome->notes.begin(), outcome->notes.end(),
                                   [&](const std::string& n) { return n.rfind(worker, 0) == 0; });
    ASSERT_NE(note, outcome->notes.end()) << worker;
    EXPECT_NE(note->find(" waits, "), std::string::npos) << *note;  // counted: "of N waits, ..."
  }
}

}  // namespace
}  // namespace parlab
