#include "shared/platform/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "shared/clock.h"
#include "shared/platform/fd_pair.h"

namespace parlab {
namespace {

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

int OpenDevNull() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

TEST(UniqueFdTest, ClosesInItsDestructor) {
  int raw = -1;
  {
    UniqueFd fd(OpenDevNull());
    raw = fd.get();
    ASSERT_TRUE(fd.valid());
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(UniqueFdTest, AMoveHandsOverOwnership) {
  UniqueFd first(OpenDevNull());
  const int raw = first.get();
  UniqueFd second = std::move(first);
  EXPECT_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(second.get(), raw);
  UniqueFd third;
  third = std::move(second);
  EXPECT_EQ(third.get(), raw);
  EXPECT_TRUE(IsOpen(raw));
}

TEST(UniqueFdTest, MoveAssignmentClosesWhatWasHeld) {
  UniqueFd held(OpenDevNull());
  const int old_raw = held.get();
  UniqueFd other(OpenDevNull());
  held = std::move(other);
  EXPECT_FALSE(IsOpen(old_raw));
}

TEST(UniqueFdTest, ReleaseGivesUpWithoutClosing) {
  UniqueFd fd(OpenDevNull());
  const int raw = fd.Release();
  EXPECT_FALSE(fd.valid());
  EXPECT_TRUE(IsOpen(raw));
  close(raw);
}

TEST(UniqueFdTest, ResetClosesTheOldDescriptor) {
  UniqueFd fd(OpenDevNull());
  const int raw = fd.get();
  fd.Reset();
  EXPECT_FALSE(fd.valid());
  EXPECT_FALSE(IsOpen(raw));
}

TEST(ReadToEndTest, ReadsUntilTheWriterCloses) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  ASSERT_EQ(write(pipe->second.get(), "abc", 3), 3);
  pipe->second.Reset();
  Result<std::string> out = ReadToEnd(pipe->first.get(), /*deadline_ns=*/-1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "abc");
}

TEST(ReadToEndTest, APassedDeadlineWithTheWriterOpenIsDeadlineExceeded) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  // The deadline has passed before the call: no waiting, and no timing asserted.
  Result<std::string> out = ReadToEnd(pipe->first.get(), NowNs() - 1);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kDeadlineExceeded);
}

// A /proc file of a process that ended after it was opened fails to read
// (ESRCH): ListProcesses (process_list.cc) reads through ReadToEnd to get an
// error value there, where std::ifstream threw.
TEST(ReadToEndTest, AProcFileOfAProcessThatEndedIsAnError) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  const UniqueFd fd(
      open(("/proc/" + std::to_string(child) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_EQ(ReadToEnd(fd.get(), -1).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace parlab
