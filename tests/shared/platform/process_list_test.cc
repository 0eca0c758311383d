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

}  // namespace
}  // namespace parlab
