// Worker failure in the procs mode, with real processes dying for real
// (--inject-fault): the poisoned task fails after its attempts with the
// signal, every other task is answered exactly once with the kernel's
// checksum, replacements take over, and nothing is left behind — no segment,
// no worker (tests/support/strict_job_checks.h). Every case runs over both
// transports: one scheduler requeues and replaces for shm and uds alike —
// and over shm with two dispatcher threads (--dispatchers 2), which stop
// while the coordinator's thread replaces and requeues, and over shm with
// --wait spin, where a coordinator that waits for a dead worker's answer
// never sleeps and takes no stamp: only its idle rounds' own look at the
// clock makes it supervise.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "tests/support/scoped_env.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

constexpr uint64_t kPoisoned = 5;

pb::JobSpec PoisonedJob(pb::Transport transport, pb::FaultAction action, int max_attempts) {
  pb::JobSpec job = DefaultJob();
  // sum's checksum comes from its input: a replacement that read the wrong
  // bytes, or a requeued task answered from stale ones, would show.
  *job.mutable_kernel() = FindKernel("sum")->Defaults();
  job.mutable_kernel()->set_n(64);
  job.set_mode(pb::PROCS);
  job.set_transport(transport);
  job.set_workers(2);
  job.set_tasks(40);
  job.set_warmup(0);
  job.set_trials(1);
  job.set_max_attempts(max_attempts);
  job.mutable_fault()->set_task(static_cast<int64_t>(kPoisoned));
  job.mutable_fault()->set_action(action);
  EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  return job;
}

// The note that says how many workers were replaced, or "".
std::string ReplacedNote(const JobOutcome& outcome) {
  for (const std::string& note : outcome.notes) {
    if (note.find("replaced") != std::string::npos) return note;
  }
  return "";
}

// How the scheduler reaches its workers: a transport, and its dispatchers.
struct Path {
  pb::Transport transport;
  int dispatchers;
  pb::WaitPolicy wait = pb::ADAPTIVE;
};

class WorkerFailureTest : public ::testing::TestWithParam<Path> {
 protected:
  pb::JobSpec Poisoned(pb::FaultAction action, int max_attempts) const {
    pb::JobSpec job = PoisonedJob(GetParam().transport, action, max_attempts);
    job.set_dispatchers(GetParam().dispatchers);
    job.set_wait(GetParam().wait);
    EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
    return job;
  }
};

// Every task once; all but the poisoned one answered with the kernel's
// checksum, the poisoned one failed as `expected`; nothing left. Returns the
// poisoned task's record.
TaskRecord ExpectOnlyThePoisonedTaskFailed(const JobOutcome& outcome, TaskOutcome expected) {
  const std::vector<TaskRecord> failed = ExpectStrictOutcome(outcome, {{kPoisoned, expected}});
  EXPECT_EQ(failed.size(), 1u);
  return failed.empty() ? TaskRecord{} : failed.front();
}

TEST_P(WorkerFailureTest, TaskThatKillsItsWorkerFailsAfterItsAttemptsWithTheSignal) {
  Result<JobOutcome> outcome = RunJob(Poisoned(pb::FAULT_KILL, 3));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGKILL);
  EXPECT_EQ(poisoned.attempt, 3);
  EXPECT_NE(ReplacedNote(*outcome).find("3 worker(s) replaced"), std::string::npos)
      << "the report says how many workers were replaced";
}

TEST_P(WorkerFailureTest, DeathInTheMiddleOfAChunkChargesOnlyTheTaskItRan) {
  // Frames of 4 ids (uds ignores --chunk): the tasks before the poisoned one
  // in its frame ran but were never answered, the ones after it never ran;
  // all of them go out again to a worker that is sent the job's constants
  // afresh, and only the poisoned one is charged.
  pb::JobSpec job = Poisoned(pb::FAULT_KILL, 2);
  job.set_chunk(4);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.attempt, 2);
  EXPECT_NE(ReplacedNote(*outcome).find("2 worker(s) replaced"), std::string::npos)
      << ReplacedNote(*outcome);
}

TEST_P(WorkerFailureTest, AbortingTaskIsReportedWithSigabrt) {
  Result<JobOutcome> outcome = RunJob(Poisoned(pb::FAULT_ABORT, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGABRT);
  EXPECT_EQ(poisoned.attempt, 2);
}

TEST_P(WorkerFailureTest, SegfaultingTaskIsReportedWithSigsegv) {
  // A sanitizer catches SIGSEGV in the worker and ends it its own way (exit
  // 1, or SIGABRT with abort_on_error): the workers this test starts leave
  // SIGSEGV to the kernel, as an uninstrumented worker does. The options are
  // read when a worker starts; later ones in the string win.
  const ScopedSegvToKernel segv_to_kernel;
  Result<JobOutcome> outcome = RunJob(Poisoned(pb::FAULT_SEGV, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGSEGV);
  EXPECT_EQ(poisoned.attempt, 2);
}

TEST_P(WorkerFailureTest, WorkerThatExitsIsReplacedToo) {
  Result<JobOutcome> outcome = RunJob(Poisoned(pb::FAULT_EXIT, 1));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, 0);  // it exited: no signal
}

TEST_P(WorkerFailureTest, HungTaskIsKilledByTheTaskTimeoutAndRetried) {
  pb::JobSpec job = Poisoned(pb::FAULT_HANG, 2);
  // Far above a healthy 50 µs task even in a sanitizer build on a busy
  // 2-core machine, which must not be killed as hung; the hung one is.
  job.set_task_timeout_ms(2000);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kTimedOut);
  EXPECT_EQ(poisoned.signal, SIGKILL);
  EXPECT_EQ(poisoned.attempt, 2);
}

TEST_P(WorkerFailureTest, WorkerThatStopsHeartBeatingIsTreatedAsHung) {
  pb::JobSpec job = Poisoned(pb::FAULT_STOP, 1);
  // Healthy workers beat every 750 ms (a quarter of it): a late beat on a
  // busy machine must not read as silence; the stopped worker's does.
  job.set_heartbeat_timeout_ms(3000);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned = ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(poisoned.signal, SIGKILL);
}

TEST_P(WorkerFailureTest, CorruptAnswerEndsThatWorkerNotTheJob) {
  // The worker running the poisoned task answers with garbage (in its
  // response ring, or behind an honest length on its socket) and carries on
  // as if nothing happened: the coordinator must refuse
  // the frame, name the worker, end and replace only that worker, and charge
  // the tasks the garbage stood for.
  Result<JobOutcome> outcome = RunJob(Poisoned(pb::FAULT_CORRUPT, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const TaskRecord poisoned =
      ExpectOnlyThePoisonedTaskFailed(*outcome, TaskOutcome::kCorruptAnswer);
  EXPECT_EQ(poisoned.signal, SIGKILL);  // the coordinator ended it
  EXPECT_EQ(poisoned.attempt, 2);
  const std::string replaced = ReplacedNote(*outcome);
  // One replacement per attempt: the worker that did not corrupt anything kept running.
  EXPECT_NE(replaced.find("2 worker(s) replaced"), std::string::npos) << replaced;
  EXPECT_NE(replaced.find("does not parse"), std::string::npos) << replaced;
  EXPECT_NE(replaced.find("worker "), std::string::npos) << replaced;
}

TEST_P(WorkerFailureTest, WorkersThatKeepDyingEndTheJobInsteadOfForkingForever) {
  // One worker, one task per trial, and that task kills its worker: every
  // trial is one death with nothing answered in between, so after a few the
  // job must give up rather than fork a replacement per trial forever.
  pb::JobSpec job = Poisoned(pb::FAULT_KILL, 1);
  job.set_tasks(1);
  job.mutable_fault()->set_task(0);
  job.set_workers(1);
  job.set_dispatchers(1);  // at most one per worker
  job.set_trials(20);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("died in a row"), std::string::npos)
      << outcome.status().ToString();
  ExpectNothingLeft();
}

std::string PathName(const ::testing::TestParamInfo<Path>& param) {
  std::string transport = param.param.transport == pb::UDS ? "uds" : "shm";
  if (param.param.wait == pb::SPIN) transport += "_spin";
  if (param.param.dispatchers <= 1) return transport;
  return transport + "_" + std::to_string(param.param.dispatchers) + "_dispatchers";
}

INSTANTIATE_TEST_SUITE_P(Transports, WorkerFailureTest,
                         ::testing::Values(Path{pb::SHM, 1}, Path{pb::UDS, 1}, Path{pb::SHM, 2},
                                           Path{pb::SHM, 1, pb::SPIN}),
                         PathName);

// Issue 12: a uds worker's death used to fail the whole job. Now the worker
// SIGKILLed mid-job (holding the task it runs and the ones queued behind it
// on its socket) is replaced with a fresh socket pair, the innocent tasks are
// requeued without being charged, and the job completes.
TEST(UdsWorkerFailureTest, KilledWorkerIsReplacedAndItsTasksRequeued) {
  pb::JobSpec job = PoisonedJob(pb::UDS, pb::FAULT_KILL, 2);
  // Each trial's first round deals 8 tasks to each worker in turn, before
  // any answer is read, so the poisoned task 5 reaches worker 1 with 7, 9,
  // ... 15 behind it: its first death holds innocent tasks for certain. (With
  // 2 in flight, whether the next task was sent before the worker died was a
  // race, and CI once lost it.)
  job.set_inflight(8);
  job.set_trials(2);
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const std::vector<TaskRecord> failed =
      ExpectStrictOutcome(*outcome, {{kPoisoned, TaskOutcome::kWorkerDied}});
  ASSERT_EQ(failed.size(), 2u);  // once per trial
  for (const TaskRecord& r : failed) {
    EXPECT_EQ(r.signal, SIGKILL) << "task " << r.id;
    EXPECT_EQ(r.attempt, 2) << "task " << r.id;
  }
  // Two deaths per trial; the first requeued the poisoned task and at least
  // one innocent task behind it, which then succeeded elsewhere.
  const std::string replaced = ReplacedNote(*outcome);
  EXPECT_NE(replaced.find("4 worker(s) replaced"), std::string::npos) << replaced;
  const size_t requeued_at = replaced.find(" task(s) requeued");
  ASSERT_NE(requeued_at, std::string::npos) << replaced;
  const size_t number_at = replaced.rfind(' ', requeued_at - 1) + 1;
  EXPECT_GE(std::stoi(replaced.substr(number_at, requeued_at - number_at)), 4) << replaced;
  EXPECT_NE(replaced.find("killed by signal 9"), std::string::npos) << replaced;
}

}  // namespace
}  // namespace parlab
