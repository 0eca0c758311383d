// Worker failure in the procs mode, with real processes dying for real
// (--inject-fault): the poisoned task fails after its attempts with the
// signal, every other task is answered exactly once, replacements take over,
// and nothing is left behind — no segment, no worker.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <set>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/process_list.h"
#include "tests/support/segment_checks.h"

namespace parlab {
namespace {

constexpr uint64_t kPoisoned = 5;

pb::JobSpec PoisonedJob(pb::FaultAction action, int max_attempts) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("spin")->Defaults();
  job.mutable_kernel()->set_us(50);
  job.set_mode(pb::PROCS);
  job.set_workers(2);
  job.set_tasks(40);
  job.set_warmup(0);
  job.set_trials(1);
  job.set_max_attempts(max_attempts);
  job.mutable_fault()->set_task(static_cast<int64_t>(kPoisoned));
  job.mutable_fault()->set_action(action);
  return job;
}

// Every task once; all but the poisoned one answered with the same checksum.
// Returns the poisoned task's record.
TaskRecord ExpectOnlyThePoisonedTaskFailed(const JobOutcome& outcome) {
  const pb::JobSpec& job = outcome.job;
  EXPECT_EQ(outcome.records.size(), static_cast<size_t>(job.tasks()));
  std::set<uint64_t> ids;
  TaskRecord poisoned;
  double checksum = 0;
  bool have_checksum = false;
  for (const TaskRecord& r : outcome.records) {
    EXPECT_TRUE(ids.insert(r.id).second) << "task " << r.id << " reported twice";
    if (r.id == kPoisoned) {
      poisoned = r;
      continue;
    }
    EXPECT_EQ(r.outcome, TaskOutcome::kOk) << "task " << r.id;
    if (!have_checksum) checksum = r.checksum;
    have_checksum = true;
    EXPECT_EQ(r.checksum, checksum) << "task " << r.id;
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(job.tasks()));
  EXPECT_EQ(SegmentsOfThisProcess(), 0);
  EXPECT_TRUE(ChildrenNamed(getpid(), "parlab-worker").empty());
  return poisoned;
}

TEST(WorkerFailureTest, TaskThatKillsItsWorkerFailsAfterItsAttemptsWithTheSignal) {
  Result<JobOutcome> outcome = RunJob(PoisonedJob(pb::FAULT_KILL, 3));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGKILL);
  EXPECT_EQ(poisoned.attempt, 3);
  bool noted = false;
  for (const std::string& note : outcome->notes) {
    noted = noted || note.find("3 worker(s) replaced") != std::string::npos;
  }
  EXPECT_TRUE(noted) << "the report says how many workers were replaced";
}

TEST(WorkerFailureTest, AbortingTaskIsReportedWithSigabrt) {
  Result<JobOutcome> outcome = RunJob(PoisonedJob(pb::FAULT_ABORT, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGABRT);
  EXPECT_EQ(poisoned.attempt, 2);
}

TEST(WorkerFailureTest, WorkerThatExitsIsReplacedToo) {
  Result<JobOutcome> outcome = RunJob(PoisonedJob(pb::FAULT_EXIT, 1));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, 0);  // it exited: no signal
}

TEST(WorkerFailureTest, HungTaskIsKilledByTheTaskTimeoutAndRetried) {
  pb::JobSpec job = PoisonedJob(pb::FAULT_HANG, 2);
  job.set_task_timeout_ms(200);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kTimedOut);
  EXPECT_EQ(poisoned.signal, SIGKILL);
  EXPECT_EQ(poisoned.attempt, 2);
}

TEST(WorkerFailureTest, WorkerThatStopsHeartBeatingIsTreatedAsHung) {
  pb::JobSpec job = PoisonedJob(pb::FAULT_STOP, 1);
  job.set_heartbeat_timeout_ms(300);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGKILL);
}

TEST(WorkerFailureTest, CorruptAnswerEndsThatWorkerNotTheJob) {
  // The worker running the poisoned task answers with garbage in its response
  // ring and carries on as if nothing happened: the coordinator must refuse
  // the frame, name the worker, end and replace only that worker, and charge
  // the tasks the garbage stood for.
  Result<JobOutcome> outcome = RunJob(PoisonedJob(pb::FAULT_CORRUPT, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome);
  EXPECT_EQ(poisoned.outcome, TaskOutcome::kCorruptAnswer);
  EXPECT_EQ(poisoned.signal, SIGKILL);  // the coordinator ended it
  EXPECT_EQ(poisoned.attempt, 2);
  std::string replaced;
  for (const std::string& note : outcome->notes) {
    if (note.find("replaced") != std::string::npos) replaced = note;
  }
  // One replacement per attempt: the worker that did not corrupt anything kept running.
  EXPECT_NE(replaced.find("2 worker(s) replaced"), std::string::npos) << replaced;
  EXPECT_NE(replaced.find("does not parse"), std::string::npos) << replaced;
  EXPECT_NE(replaced.find("worker "), std::string::npos) << replaced;
}

TEST(WorkerFailureTest, WorkersThatKeepDyingEndTheJobInsteadOfForkingForever) {
  // One worker, one task per trial, and that task kills its worker: every
  // trial is one death with nothing answered in between, so after a few the
  // job must give up rather than fork a replacement per trial forever.
  pb::JobSpec job = PoisonedJob(pb::FAULT_KILL, 1);
  job.set_tasks(1);
  job.mutable_fault()->set_task(0);
  job.set_workers(1);
  job.set_trials(20);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("died in a row"), std::string::npos)
      << outcome.status().ToString();
  EXPECT_EQ(SegmentsOfThisProcess(), 0);
  EXPECT_TRUE(ChildrenNamed(getpid(), "parlab-worker").empty());
}

}  // namespace
}  // namespace parlab
