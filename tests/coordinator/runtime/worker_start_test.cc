// Workers that fail at the start, for real: one never says hello, one says
// hello as another worker, one exits before its hello. The job must fail
// with an error that names the worker, and leave nothing — no segment, no
// process naming it, no child at all, zombies included. Over both transports.
//
// The misbehaving worker is this test binary, re-run with a switch (leveldb's
// env_posix_test): PARLAB_WORKER points here, PARLAB_TEST_WORKER_ROLE says
// what worker kBadIndex does, and every other index execs the real worker.
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
  if (index != kBadIndex) {
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

// Runs the job with worker kBadIndex playing `role`; returns its error.
Status RunWithBadWorker(pb::Transport transport, const std::string& role) {
  Result<std::string> self = SelfExecutablePath();
  EXPECT_TRUE(self.ok()) << self.status().ToString();
  const char* real = std::getenv("PARLAB_WORKER");
  EXPECT_NE(real, nullptr) << "PARLAB_WORKER must name the real worker (set by CMake)";
  if (!self.ok() || real == nullptr) return Internal("cannot set the test up");
  const ScopedEnv real_worker(kRealWorkerVariable, real);
  const ScopedEnv worker(std::string("PARLAB_WORKER"), *self);
  const ScopedEnv bad_role(kRoleVariable, role);
  Result<JobOutcome> outcome = RunJob(Job(transport));
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

std::string TransportName(const ::testing::TestParamInfo<pb::Transport>& param) {
  return param.param == pb::UDS ? "uds" : "shm";
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
