#include "shared/platform/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "shared/clock.h"
#include "shared/platform/fd_pair.h"
#include "shared/platform/unique_fd.h"
#include "shared/wire.h"  // WriteAll

namespace parlab {
namespace {

ChildSpec Argv(std::vector<std::string> argv) {
  ChildSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

TEST(ChildProcessTest, ReportsTheExitCode) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"/bin/sh", "-c", "exit 3"}));
  ASSERT_TRUE(child.ok()) << child.status().message();
  const ExitStatus status = child->WaitOrKill(10'000);
  EXPECT_TRUE(status.exited);
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_FALSE(child->running());
}

TEST(ChildProcessTest, KillsAChildThatDoesNotEnd) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"/bin/sleep", "60"}));
  ASSERT_TRUE(child.ok());
  const ExitStatus status = child->WaitOrKill(0);
  EXPECT_FALSE(status.exited);
  EXPECT_EQ(status.term_signal, SIGKILL);
  EXPECT_NE(status.ToString().find("killed by signal 9"), std::string::npos);
}

// What a started child printed to its captured output, and how it ended.
struct Ran {
  std::string output;
  ExitStatus status;
};
Ran RunToEnd(const ChildSpec& spec) {
  Result<ChildProcess> child = ChildProcess::Start(spec);
  EXPECT_TRUE(child.ok()) << child.status().ToString();
  if (!child.ok()) return {};
  Result<std::string> out = ReadToEnd(child->output_fd(), /*deadline_ns=*/-1);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return {out.ok() ? *out : "", child->WaitOrKill(10'000)};
}

TEST(ChildProcessTest, HandsTheInheritedDescriptorAsFd3) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo hi >&3"};
  spec.inherit_fds = {pipe->second.get()};
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok());
  pipe->second.Reset();
  EXPECT_TRUE(child->WaitOrKill(10'000).success());
  Result<std::string> out = ReadToEnd(pipe->first.get(), -1);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "hi\n");
}

TEST(ChildProcessTest, HandsSeveralDescriptorsInOrder) {
  Result<std::pair<UniqueFd, UniqueFd>> first = MakePipe();
  Result<std::pair<UniqueFd, UniqueFd>> second = MakePipe();
  ASSERT_TRUE(first.ok() && second.ok());
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo one >&3; echo two >&4"};
  spec.inherit_fds = {first->second.get(), second->second.get()};
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  first->second.Reset();
  second->second.Reset();
  EXPECT_TRUE(child->WaitOrKill(10'000).success());
  EXPECT_EQ(*ReadToEnd(first->first.get(), -1), "one\n");
  EXPECT_EQ(*ReadToEnd(second->first.get(), -1), "two\n");
}

TEST(ChildProcessTest, CapturesStdoutAndStderrTogether) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 4"};
  spec.stdout_to = ChildOutput::kCapture;
  spec.stderr_to = ChildOutput::kCapture;
  const Ran ran = RunToEnd(spec);
  EXPECT_EQ(ran.output, "out\nerr\n");
  EXPECT_TRUE(ran.status.exited);
  EXPECT_EQ(ran.status.exit_code, 4);
}

TEST(ChildProcessTest, DiscardsWhatItIsToldTo) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2"};
  spec.stdout_to = ChildOutput::kDiscard;
  spec.stderr_to = ChildOutput::kCapture;
  EXPECT_EQ(RunToEnd(spec).output, "err\n");
}

TEST(ChildProcessTest, StdinIsEmptyByDefault) {
  ChildSpec spec;
  spec.argv = {"/bin/cat"};
  spec.stdout_to = ChildOutput::kCapture;
  const Ran ran = RunToEnd(spec);  // would wait on our stdin if it had it
  EXPECT_EQ(ran.output, "");
  EXPECT_TRUE(ran.status.success());
}

TEST(ChildProcessTest, FeedsStdinThroughAPipe) {
  ChildSpec spec;
  spec.argv = {"/bin/cat"};
  spec.stdin_from = ChildInput::kPipe;
  spec.stdout_to = ChildOutput::kCapture;
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ASSERT_TRUE(WriteAll(child->input_fd(), "fed\n", 4).ok());
  child->CloseInput();  // cat sees end of input and exits
  EXPECT_EQ(*ReadToEnd(child->output_fd(), -1), "fed\n");
  EXPECT_TRUE(child->Wait().success());
}

TEST(ChildProcessTest, SetsAndRemovesEnvironmentVariables) {
  setenv("PARLAB_CHILD_TEST_REMOVED", "present", 1);
  ChildSpec spec;
  spec.argv = {"sh", "-c", "echo \"[$PARLAB_CHILD_TEST_SET][$PARLAB_CHILD_TEST_REMOVED]\""};
  spec.env = {{"PARLAB_CHILD_TEST_SET", "1"}, {"PARLAB_CHILD_TEST_REMOVED", std::nullopt}};
  spec.stdout_to = ChildOutput::kCapture;
  EXPECT_EQ(RunToEnd(spec).output, "[1][]\n");
}

TEST(ChildProcessTest, HandsDownOurStampClock) {
  ChildSpec spec;
  spec.argv = {"sh", "-c", "printf %s \"$PARLAB_STAMP_CLOCK\""};
  spec.stdout_to = ChildOutput::kCapture;
  EXPECT_EQ(RunToEnd(spec).output, EncodeStampClock(CurrentStampClock()));
  spec.env = {{kStampClockVariable, "monotonic"}};  // unless told otherwise
  EXPECT_EQ(RunToEnd(spec).output, "monotonic");
}

TEST(ChildProcessTest, ForkRunsTheBodyAndExitsWithItsValue) {
  Result<ChildProcess> child = ChildProcess::Fork([] { return 7; });
  ASSERT_TRUE(child.ok());
  const ExitStatus status = child->WaitOrKill(10'000);
  EXPECT_TRUE(status.exited);
  EXPECT_EQ(status.exit_code, 7);
}

TEST(ChildProcessTest, WaitAfterReapGivesTheSameStatus) {
  Result<ChildProcess> child = ChildProcess::Fork([] { return 5; });
  ASSERT_TRUE(child.ok());
  // Waits for the exit without reaping it (WNOWAIT), so that TryReap, as
  // WorkerPool calls it on SIGCHLD, is the one that reaps.
  siginfo_t info{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(child->pid()), &info, WEXITED | WNOWAIT), 0);
  std::optional<ExitStatus> reaped = child->TryReap();
  ASSERT_TRUE(reaped.has_value());
  EXPECT_EQ(reaped->exit_code, 5);
  EXPECT_FALSE(child->TryReap().has_value());
  EXPECT_EQ(child->WaitOrKill(0).exit_code, 5);
}

TEST(ChildProcessTest, DestructorKillsAndReapsARunningChild) {
  pid_t pid = -1;
  {
    Result<ChildProcess> child = ChildProcess::Start(Argv({"/bin/sleep", "60"}));
    ASSERT_TRUE(child.ok());
    pid = child->pid();
  }
  // Reaped: no child of ours is left with that pid, not even a zombie.
  errno = 0;
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(ChildProcessTest, AMovedFromChildOwnsNothing) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"/bin/sleep", "60"}));
  ASSERT_TRUE(child.ok());
  ChildProcess owner = std::move(child).value();
  EXPECT_TRUE(owner.running());
  EXPECT_FALSE(child->running());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(owner.WaitOrKill(0).term_signal, SIGKILL);
}

TEST(ChildProcessTest, AProgramNotOnPathIsNotFound) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"parlab-no-such-program"}));
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kNotFound);
}

TEST(ChildProcessTest, AFileThatIsNotExecutableIsNotFound) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"/etc/passwd"}));
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kNotFound);
}

TEST(ChildProcessTest, EmptyArgvIsInvalid) {
  Result<ChildProcess> child = ChildProcess::Start(ChildSpec{});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kInvalidArgument);
}

TEST(ChildProcessTest, MissingProgramIsNotFound) {
  Result<ChildProcess> child = ChildProcess::Start(Argv({"/nonexistent/parlab-worker"}));
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace parlab
