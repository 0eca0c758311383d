#include "shared/shm/segment.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace parlab {
namespace {

// "/parlab-<pid>-test-<tag>": unique per test process, so `ctest -j` is safe,
// and a crashed test's leftovers are orphans that `parlab clean` removes.
std::string TestName(const std::string& tag) {
  return "/parlab-" + std::to_string(getpid()) + "-test-" + tag;
}

bool Exists(const std::string& name) {
  struct stat st {};
  return stat(("/dev/shm" + name).c_str(), &st) == 0;
}

// Removes a name at the end of a test, whatever happened in it.
struct Unlinker {
  std::string name;
  ~Unlinker() { shm_unlink(name.c_str()); }
};

TEST(SegmentTest, CreateThenOpenSeeTheSameBytes) {
  const std::string name = TestName("open");
  Result<Segment> created = Segment::Create(name, 10000);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->size(), 10000u);
  EXPECT_TRUE(created->is_creator());
  std::memcpy(created->data() + 9000, "hello", 5);

  Result<Segment> opened = Segment::Open(name);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_FALSE(opened->is_creator());
  EXPECT_EQ(opened->size(), 10000u);
  EXPECT_EQ(std::memcmp(opened->data() + 9000, "hello", 5), 0);
  EXPECT_EQ(opened->data()[0], std::byte{0});  // fresh segments are zeroed
}

TEST(SegmentTest, CreateFailsWhenTheNameExists) {
  const std::string name = TestName("exclusive");
  Result<Segment> first = Segment::Create(name, 4096);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<Segment> second = Segment::Create(name, 4096);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(name), std::string::npos);
  // The failed attempt must not have removed the first one's name.
  EXPECT_TRUE(Exists(name));
}

TEST(SegmentTest, ModeIs0600WhateverTheUmask) {
  const std::string name = TestName("mode");
  const mode_t old_umask = umask(0);  // 0600 must come from us, not from the umask
  Result<Segment> segment = Segment::Create(name, 4096);
  umask(old_umask);
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  const int fd = shm_open(name.c_str(), O_RDONLY, 0);
  ASSERT_GE(fd, 0);
  struct stat st {};
  ASSERT_EQ(fstat(fd, &st), 0);
  close(fd);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_uid, geteuid());
}

TEST(SegmentTest, CreatorDestructorUnlinksOpenerDoesNot) {
  const std::string name = TestName("dtor");
  {
    Result<Segment> created = Segment::Create(name, 4096);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    {
      Result<Segment> opened = Segment::Open(name);
      ASSERT_TRUE(opened.ok());
    }
    EXPECT_TRUE(Exists(name)) << "an opener's destructor unlinked the segment";
  }
  EXPECT_FALSE(Exists(name));
  Result<Segment> reopened = Segment::Open(name);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kNotFound);
}

TEST(SegmentTest, MoveTransfersOwnership) {
  const std::string name = TestName("move");
  {
    Result<Segment> created = Segment::Create(name, 4096);
    ASSERT_TRUE(created.ok());
    Segment owner = std::move(created).value();
    Segment other = std::move(owner);
    EXPECT_TRUE(other.is_creator());
    EXPECT_EQ(other.name(), name);
    EXPECT_TRUE(Exists(name));
  }
  EXPECT_FALSE(Exists(name));
}

TEST(SegmentTest, UnlinkRemovesTheNameButKeepsTheMapping) {
  const std::string name = TestName("unlink");
  Result<Segment> created = Segment::Create(name, 4096);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(created->Unlink().ok());
  EXPECT_FALSE(Exists(name));
  created->data()[100] = std::byte{42};  // still mapped
  EXPECT_EQ(created->data()[100], std::byte{42});
  EXPECT_TRUE(created->Unlink().ok());  // idempotent
}

// A child forked from the creator that runs destructors (exit() rather than
// _exit()) must not unlink its parent's segment.
TEST(SegmentTest, ForkedChildDoesNotUnlink) {
  const std::string name = TestName("fork");
  Result<Segment> created = Segment::Create(name, 4096);
  ASSERT_TRUE(created.ok());
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    { Segment copy = std::move(created).value(); }  // runs ~Segment in the child
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(Exists(name));
}

TEST(SegmentTest, TooLargeIsRefusedNamingTheSizes) {
  const std::string name = TestName("huge");
  const size_t huge = size_t{1} << 50;  // 1 PiB
  Result<Segment> segment = Segment::Create(name, huge);
  ASSERT_FALSE(segment.ok());
  EXPECT_EQ(segment.status().code(), StatusCode::kResourceExhausted);
  const std::string& message = segment.status().message();
  EXPECT_NE(message.find(std::to_string(huge)), std::string::npos) << message;
  EXPECT_NE(message.find("bytes free"), std::string::npos) << message;
  EXPECT_FALSE(Exists(name));
}

TEST(SegmentTest, RejectsBadNamesAndSizes) {
  EXPECT_EQ(Segment::Create("no-slash", 4096).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Segment::Create("/a/b", 4096).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Segment::Create(TestName("zero"), 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Segment::Open(TestName("missing")).status().code(), StatusCode::kNotFound);
}

TEST(SegmentTest, MakeNameHasPidAndRandomHex) {
  const std::string a = Segment::MakeName();
  const std::string b = Segment::MakeName();
  const std::string prefix = "/parlab-" + std::to_string(getpid()) + "-";
  ASSERT_EQ(a.size(), prefix.size() + 16) << a;
  EXPECT_EQ(a.substr(0, prefix.size()), prefix);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef", prefix.size()), std::string::npos) << a;
  EXPECT_NE(a, b);
}

// Pre-faulting means a task never pays a first-touch fault: touching every
// page after Create/Open costs (almost) no minor faults. A count, not a time.
TEST(SegmentTest, PagesArePrefaulted) {
  const std::string name = TestName("prefault");
  const size_t bytes = 16 << 20;
  Result<Segment> segment = Segment::Create(name, bytes);
  ASSERT_TRUE(segment.ok());
  const long page = sysconf(_SC_PAGESIZE);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  volatile std::byte* p = segment->data();
  for (size_t i = 0; i < bytes; i += static_cast<size_t>(page)) p[i] = std::byte{1};
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const long pages = static_cast<long>(bytes) / page;
  // Not zero: sanitizer shadow memory and the test itself fault a little.
  EXPECT_LT(after.ru_minflt - before.ru_minflt, pages / 4);
}

TEST(SegmentTest, FindsAndRemovesOrphansOfDeadOwnersOnly) {
  // A pid that certainly ran and is certainly dead: a reaped child's.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);

  // What a SIGKILLed coordinator leaves behind.
  const std::string dead_name = "/parlab-" + std::to_string(child) + "-test-orphan";
  Unlinker cleanup{dead_name};
  const int fd = shm_open(dead_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 8192), 0);
  close(fd);
  // A live owner's segment (ours) must be left alone.
  Result<Segment> live = Segment::Create(TestName("live"), 4096);
  ASSERT_TRUE(live.ok());

  auto has = [](const std::vector<SegmentFile>& list, const std::string& name) {
    return std::any_of(list.begin(), list.end(),
                       [&](const SegmentFile& o) { return o.name == name; });
  };
  Result<std::vector<SegmentFile>> orphans = ListOrphanSegments();
  ASSERT_TRUE(orphans.ok()) << orphans.status().ToString();
  ASSERT_TRUE(has(*orphans, dead_name));
  EXPECT_FALSE(has(*orphans, live->name()));
  for (const SegmentFile& o : *orphans) {
    if (o.name == dead_name) {
      EXPECT_EQ(o.owner_pid, child);
      EXPECT_EQ(o.bytes, 8192u);
    }
  }

  Result<std::vector<SegmentFile>> removed = RemoveOrphanSegments();
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_TRUE(has(*removed, dead_name));
  EXPECT_FALSE(Exists(dead_name));
  EXPECT_TRUE(Exists(live->name()));
}

TEST(SegmentTest, ListSegmentsOfFindsExactlyThatOwnersSegments) {
  Result<Segment> ours = Segment::Create(TestName("listed"), 4096);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  Result<std::vector<SegmentFile>> mine = ListSegmentsOf(getpid());
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  bool found = false;
  for (const SegmentFile& segment : *mine) {
    EXPECT_EQ(segment.owner_pid, getpid());
    if (segment.name != ours->name()) continue;
    found = true;
    EXPECT_EQ(segment.bytes, 4096u);
  }
  EXPECT_TRUE(found) << ours->name() << " not listed";
  // Our parent made none of ours: nothing of ours is listed under its pid.
  Result<std::vector<SegmentFile>> parents = ListSegmentsOf(getppid());
  ASSERT_TRUE(parents.ok());
  for (const SegmentFile& segment : *parents) EXPECT_NE(segment.name, ours->name());
}

}  // namespace
}  // namespace parlab
