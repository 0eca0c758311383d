// Workers that fail at the start, for real: one never says hello, one says
// hello as another worker, one exits before its hello. The job must fail
// with an error that names the worker, and leave nothing — no segment, no
// process naming it, no child at all, zombies included. Over both transports.
// And replacements that exit before their hello, mid-job: the job goes on
// and charges them for none of the tasks it had queued for them.
//
// The misbehaving worker is this test binary, re-run with a switch (leveldb's
// env_posix_test): PARLAB_WORKER points here, PARLAB_TEST_WORKER_ROLE says
// what worker kBadIndex does, and every other index execs the real worker.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/process_list.h"
#include "shared/wire.h"
#include "tests/support/scoped_env.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

constexpr int kBadIndex = 1;
constexpr int kControlFd = 3;  // WorkerPool's "--control-fd 3"
constexpr const char* kRoleVariable = "PARLAB_TEST_WORKER_ROLE";
constexpr const char* kRealWorkerVariable = "PARLAB_TEST_REAL_WORKER";
// "replacement-exits": worker kBadIndex's first start creates this file and
// runs the real worker; every later start finds it and exits.
constexpr const char* kStartedFileVariable = "PARLAB_TEST_STARTED_FILE";

// Reads the control socket until the coordinator closes it, ignoring what
// comes (a shutdown frame too): only a kill or the end of the socket ends it.
[[noreturn]] void IgnoreTheCoordinator() {
  char buffer[256];
  while (read(kControlFd, buffer, sizeof buffer) > 0) {
  }
  _exit(0);
}

// The worker's side of the switch: runs instead of the tests.
[[noreturn]] void RunAsWorker(const std::string& role, int argc, char** argv) {
  int index = -1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--index") == 0) index = std::atoi(argv[i + 1]);
  }
  bool run_real = index != kBadIndex;
  if (!run_real && role == "replacement-exits") {
    const char* started = std::getenv(kStartedFileVariable);
    const int fd = started == nullptr ? -1 : open(started, O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) _exit(4);  // a replacement
    close(fd);
    run_real = true;
  }
  if (run_real) {
    const char* real = std::getenv(kRealWorkerVariable);
    argv[0] = const_cast<char*>(real);
    execv(real, argv);
    _exit(127);
  }
  if (role == "exit") _exit(4);
  if (role == "wrong-index") {
    pb::Frame hello;
    hello.mutable_hello()->set_worker(index + 7);
    hello.mutable_hello()->set_pid(static_cast<int32_t>(getpid()));
    std::string bytes;
    AppendFrame(hello, bytes);
    if (write(kControlFd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      _exit(5);
    }
  }
  IgnoreTheCoordinator();  // "silent", and "wrong-index" after its hello
}

pb::JobSpec Job(pb::Transport transport) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("sum")->Defaults();
  job.mutable_kernel()->set_n(16);
  job.set_mode(pb::PROCS);
  job.set_transport(transport);
  job.set_workers(2);
  job.set_tasks(4);
  job.set_warmup(0);
  job.set_trials(1);
  EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  return job;
}

// Runs `job` with worker kBadIndex playing `role`.
Result<JobOutcome> RunWithBadWorker(const pb::JobSpec& job, const std::string& role) {
  Result<std::string> self = SelfExecutablePath();
  EXPECT_TRUE(self.ok()) << self.status().ToString();
  const char* real = std::getenv("PARLAB_WORKER");
  EXPECT_NE(real, nullptr) << "PARLAB_WORKER must name the real worker (set by CMake)";
  if (!self.ok() || real == nullptr) return Internal("cannot set the test up");
  const ScopedEnv real_worker(kRealWorkerVariable, real);
  const ScopedEnv worker(std::string("PARLAB_WORKER"), *self);
  const ScopedEnv bad_role(kRoleVariable, role);
  return RunJob(job);
}

// Runs the job with worker kBadIndex playing `role`; returns its error.
Status RunWithBadWorker(pb::Transport transport, const std::string& role) {
  Result<JobOutcome> outcome = RunWithBadWorker(Job(transport), role);
  EXPECT_FALSE(outcome.ok()) << "a job whose worker " << role << " ran to its end";
  return outcome.ok() ? Status::Ok() : outcome.status();
}

// Nothing left, and no child of ours at all: the bad worker is not named
// parlab-worker, and on uds no command line names a segment.
void ExpectNoChildLeft() {
  ExpectNothingLeft();
  for (const ProcessEntry& process : ListProcesses()) {
    if (process.parent != getpid()) continue;
    ADD_FAILURE() << "child " << process.pid << " (" << process.comm << ", state " << process.state
                  << ") left behind";
  }
}

std::string TransportLabel(pb::Transport transport) { return transport == pb::UDS ? "uds" : "shm"; }

class WorkerStartTest : public ::testing::TestWithParam<pb::Transport> {};

TEST_P(WorkerStartTest, WorkerThatNeverSaysHelloIsNamedAfterTheStartTimeout) {
  const Status status = RunWithBadWorker(GetParam(), "silent");
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.ToString();
  EXPECT_NE(status.message().find("1 of 2 said hello"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("not worker 1 (pid"), std::string::npos) << status.ToString();
  ExpectNoChildLeft();
}

TEST_P(WorkerStartTest, HelloWithTheWrongIndexIsRefused) {
  const Status status = RunWithBadWorker(GetParam(), "wrong-index");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("worker 1 said hello as worker 8"), std::string::npos)
      << status.ToString();
  ExpectNoChildLeft();
}

TEST_P(WorkerStartTest, WorkerThatExitsBeforeItsHelloIsNamed) {
  const Status status = RunWithBadWorker(GetParam(), "exit");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_NE(status.message().find("worker 1 (pid"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("before it said hello"), std::string::npos) << status.ToString();
  ExpectNoChildLeft();
}

TEST_P(WorkerStartTest, ReplacementThatExitsBeforeItsHelloIsChargedForNothing) {
  // Task 5 kills worker 1 on its one attempt. Each trial's first round deals
  // 8 tasks to each worker in turn, so task 5 reaches worker 1 (on uds, and
  // on shm unless worker 0 took it first): its replacements are sent the
  // tasks requeued behind it, then exit before their hello, again and again,
  // while worker 0 answers them all. Over uds, where the coordinator cannot
  // see which task a worker runs, its oldest frame stood for it, so each such
  // death charged an innocent task: with one attempt, it failed.
  pb::JobSpec job = Job(GetParam());
  job.set_tasks(40);
  job.set_inflight(8);
  job.set_max_attempts(1);
  job.mutable_fault()->set_task(5);
  job.mutable_fault()->set_action(pb::FAULT_KILL);
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  const std::string started = ::testing::TempDir() + "parlab_worker_start_test_" +
                              std::to_string(getpid()) + "_" + TransportLabel(GetParam());
  unlink(started.c_str());
  const ScopedEnv started_file(kStartedFileVariable, started);
  Result<JobOutcome> outcome = RunWithBadWorker(job, "replacement-exits");
  unlink(started.c_str());
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ExpectStrictOutcome(*outcome, {{5, TaskOutcome::kWorkerDied}});
  ExpectNoChildLeft();
}

std::string TransportName(const ::testing::TestParamInfo<pb::Transport>& param) {
  return TransportLabel(param.param);
}

INSTANTIATE_TEST_SUITE_P(Transports, WorkerStartTest, ::testing::Values(pb::SHM, pb::UDS),
                         TransportName);

}  // namespace
}  // namespace parlab

int main(int argc, char** argv) {
  if (const char* role = std::getenv(parlab::kRoleVariable); role != nullptr) {
    parlab::RunAsWorker(role, argc, argv);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
