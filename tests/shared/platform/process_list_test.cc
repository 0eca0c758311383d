#include "shared/platform/process_list.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace parlab {
namespace {

TEST(ProcessListTest, FindsOurLiveChildByNameAndNotAfterItIsReaped) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  // exec takes a moment: until then the child's name is ours.
  std::vector<pid_t> found;
  for (int i = 0; i < 5000 && found.empty(); ++i) {
    found = ChildrenNamed(getpid(), "sleep");
    if (found.empty()) usleep(1000);
  }
  EXPECT_NE(std::find(found.begin(), found.end(), child), found.end());
  EXPECT_TRUE(ChildrenNamed(getpid(), "no-such-name").empty());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  const std::vector<pid_t> after = ChildrenNamed(getpid(), "sleep");
  EXPECT_EQ(std::find(after.begin(), after.end(), child), after.end());
}

}  // namespace
}  // namespace parlab
