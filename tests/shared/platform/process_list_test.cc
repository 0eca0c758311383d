#include "shared/platform/process_list.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "shared/platform/child_process.h"

namespace parlab {
namespace {

TEST(ProcessListTest, FindsOurLiveChildByNameAndNotAfterItIsReaped) {
  ChildSpec spec;
  spec.argv = {"sleep", "30"};
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  const pid_t pid = child->pid();
  // Start returns once exec has begun, but the kernel renames the process a
  // moment after it closes the descriptors that told us so; nothing signals
  // the rename, so look again a bounded number of times.
  std::vector<pid_t> found;
  for (int i = 0; i < 5000 && found.empty(); ++i) {
    found = ChildrenNamed(getpid(), "sleep");
    if (found.empty()) usleep(1000);
  }
  EXPECT_NE(std::find(found.begin(), found.end(), pid), found.end());
  EXPECT_TRUE(ChildrenNamed(getpid(), "no-such-name").empty());
  const ExitStatus status = child->WaitOrKill(0);
  EXPECT_EQ(status.term_signal, SIGKILL);
  const std::vector<pid_t> after = ChildrenNamed(getpid(), "sleep");
  EXPECT_EQ(std::find(after.begin(), after.end(), pid), after.end());
}

// A child that ended but is not reaped yet is still listed, as a zombie: the
// tests check with this that a job reaped every worker it started.
TEST(ProcessListTest, ListsAnUnreapedChildAsAZombieWithItsParent) {
  ChildSpec spec;
  spec.argv = {"sleep", "30"};
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  const pid_t pid = child->pid();
  child->Signal(SIGKILL);
  // Nothing reaps it until WaitOrKill below, so it must turn into a zombie;
  // the test's TIMEOUT bounds this loop if it never does.
  ProcessEntry seen;
  while (seen.state != 'Z') {
    for (const ProcessEntry& process : ListProcesses()) {
      if (process.pid == pid) seen = process;
    }
  }
  EXPECT_EQ(seen.parent, getpid());
  EXPECT_TRUE(seen.cmdline.empty()) << seen.cmdline;
  child->WaitOrKill(0);
  for (const ProcessEntry& process : ListProcesses()) EXPECT_NE(process.pid, pid);
}

TEST(ProcessListTest, ListsOurOwnCommandLine) {
  bool found = false;
  for (const ProcessEntry& process : ListProcesses()) {
    if (process.pid != getpid()) continue;
    found = true;
    EXPECT_NE(process.cmdline.find("process_list_test"), std::string::npos) << process.cmdline;
    EXPECT_EQ(process.parent, getppid());
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace parlab
