#include "shared/platform/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace parlab {
namespace {

TEST(ChildProcessTest, ReportsTheExitCode) {
  Result<ChildProcess> child = ChildProcess::Spawn("/bin/sh", {"-c", "exit 3"}, -1);
  ASSERT_TRUE(child.ok()) << child.status().message();
  const ExitStatus status = child->WaitOrKill(10'000);
  EXPECT_TRUE(status.exited);
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_FALSE(child->running());
}

TEST(ChildProcessTest, KillsAChildThatDoesNotEnd) {
  Result<ChildProcess> child = ChildProcess::Spawn("/bin/sleep", {"60"}, -1);
  ASSERT_TRUE(child.ok());
  const ExitStatus status = child->WaitOrKill(0);
  EXPECT_FALSE(status.exited);
  EXPECT_EQ(status.term_signal, SIGKILL);
  EXPECT_NE(status.ToString().find("killed by signal 9"), std::string::npos);
}

TEST(ChildProcessTest, HandsTheInheritedDescriptorAsFd3) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Result<ChildProcess> child = ChildProcess::Spawn("/bin/sh", {"-c", "echo hi >&3"}, fds[1]);
  ASSERT_TRUE(child.ok());
  close(fds[1]);
  EXPECT_TRUE(child->WaitOrKill(10'000).exited);
  char buffer[8] = {};
  EXPECT_EQ(read(fds[0], buffer, sizeof(buffer)), 3);
  EXPECT_EQ(std::string(buffer, 2), "hi");
  close(fds[0]);
}

TEST(ChildProcessTest, MissingProgramIsNotFound) {
  Result<ChildProcess> child = ChildProcess::Spawn("/nonexistent/parlab-worker", {}, -1);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace parlab
