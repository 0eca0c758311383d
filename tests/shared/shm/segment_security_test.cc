// A segment is the user's alone: created exclusively with mode 0600 under a
// name nobody can guess, so another user's process can neither open it nor
// take its name first. The refusal test needs root (to become `nobody`); run
// unprivileged it is skipped, saying so, rather than passed.

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <string>

#include "shared/shm/segment.h"

namespace parlab {
namespace {

constexpr uid_t kNobody = 65534;

// Exit codes of the child, so the parent's failure message says what happened.
enum ChildExit : int {
  kRefused = 0,          // EACCES from both Segment::Open and shm_open
  kDropFailed = 10,      // could not become nobody
  kOpenedSegment = 11,   // Segment::Open succeeded: the bug this test exists for
  kOpenWrongError = 12,  // Segment::Open failed, but not for lack of permission
  kShmOpened = 13,       // raw shm_open O_RDONLY succeeded
  kShmWrongErrno = 14,   // raw shm_open failed with another errno
};

int ReaderAsNobody(const std::string& name) {
  // Groups first: after setuid we could no longer drop them.
  if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0) {
    return kDropFailed;
  }
  if (getuid() != kNobody || geteuid() != kNobody || setuid(0) == 0) return kDropFailed;
  Result<Segment> opened = Segment::Open(name);
  if (opened.ok()) return kOpenedSegment;
  if (opened.status().message().find("ermission denied") == std::string::npos) {
    return kOpenWrongError;
  }
  const int fd = shm_open(name.c_str(), O_RDONLY, 0);
  if (fd >= 0) return kShmOpened;
  return errno == EACCES ? kRefused : kShmWrongErrno;
}

TEST(SegmentSecurityTest, AnotherUserCannotOpenASegment) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to run a reader as nobody (uid 65534); run this test as root "
                    "to check that another user's process is refused";
  }
  Result<Segment> segment = Segment::Create(Segment::MakeName(), 4096);
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  struct stat st {};
  ASSERT_EQ(stat(("/dev/shm" + segment->name()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_uid, 0u);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(ReaderAsNobody(segment->name()));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the reader died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), kRefused)
      << "10: could not drop to nobody, 11: Segment::Open succeeded, 12: Open failed for "
         "another reason, 13: shm_open succeeded, 14: shm_open failed with another errno";
}

// O_EXCL: a name another process created first (a squatter hoping the
// coordinator would use its segment) makes Create fail, never share.
TEST(SegmentSecurityTest, CreateNeverAdoptsAnExistingName) {
  const std::string name = Segment::MakeName();
  const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0666);
  ASSERT_GE(fd, 0);
  close(fd);
  Result<Segment> segment = Segment::Create(name, 4096);
  EXPECT_EQ(segment.status().code(), StatusCode::kFailedPrecondition);
  shm_unlink(name.c_str());
}

// The random part: 16 hex digits (64 bits) from std::random_device, which
// libstdc++ backs with getrandom()/rdrand, not a seeded PRNG: no two of many
// names share it, and every digit position takes many values.
TEST(SegmentSecurityTest, NamesCarry64RandomBits) {
  std::set<std::string> randoms;
  std::set<char> digits_at[16];
  const std::string prefix = "/parlab-" + std::to_string(getpid()) + "-";
  for (int i = 0; i < 2000; ++i) {
    const std::string name = Segment::MakeName();
    ASSERT_EQ(name.substr(0, prefix.size()), prefix);
    const std::string random = name.substr(prefix.size());
    ASSERT_EQ(random.size(), 16u) << name;
    randoms.insert(random);
    for (size_t d = 0; d < 16; ++d) digits_at[d].insert(random[d]);
  }
  EXPECT_EQ(randoms.size(), 2000u);
  // 2000 uniform draws of a hex digit miss one of the 16 values with
  // probability ~16 × (15/16)^2000, about 1e-55.
  for (const std::set<char>& digits : digits_at) EXPECT_EQ(digits.size(), 16u);
}

}  // namespace
}  // namespace parlab
