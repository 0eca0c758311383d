// A coordinator killed with SIGKILL: its workers leave by themselves within
// seconds (liveness, generous bound), its segment stays behind as an orphan,
// `parlab clean` lists and removes it, and `parlab run` sweeps orphans too,
// saying so on stderr.
#include "coordinator/cli/clean_command.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "shared/platform/child_process.h"
#include "tests/support/parlab_process.h"
#include "tests/support/process_waits.h"
#include "tests/support/segment_checks.h"

namespace parlab {
namespace {

// Field 3 (state) and 4 (ppid) of /proc/<pid>/stat; comm may hold spaces,
// so parse after its closing parenthesis.
bool ReadStat(pid_t pid, char& state, pid_t& ppid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 1));
  return static_cast<bool>(rest >> state >> ppid);
}

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (const dirent* entry = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    char state = 0;
    pid_t ppid = 0;
    if (pid > 0 && ReadStat(pid, state, ppid) && ppid == parent) children.push_back(pid);
  }
  closedir(proc);
  return children;
}

// Gone, or a zombie waiting for a reaper that is not us: either way it has exited.
bool Exited(pid_t pid) {
  char state = 0;
  pid_t ppid = 0;
  return !ReadStat(pid, state, ppid) || state == 'Z' || state == 'X';
}

bool Exists(const SegmentFile& segment) {
  struct stat st {};
  return stat(("/dev/shm" + segment.name).c_str(), &st) == 0;
}

TEST(CleanCommandTest, KilledCoordinatorsWorkersLeaveAndCleanRemovesItsSegment) {
  ParlabProcess run(
      {"run", "spin", "--us", "1000", "--mode", "procs", "--workers", "2", "--tasks", "100000"});
  std::vector<pid_t> workers;
  ASSERT_TRUE(WaitFor(
      [&] {
        workers = ChildrenOf(run.pid());
        return workers.size() == 2 && !SegmentsOf(run.pid()).empty();
      },
      std::chrono::seconds(30)))
      << "the run never had 2 workers and a segment";
  const std::vector<SegmentFile> segments = SegmentsOf(run.pid());
  ASSERT_EQ(segments.size(), 1u);

  run.Kill(SIGKILL);
  // A liveness check, not a timing one: PR_SET_PDEATHSIG should end them at
  // once; 5 s only keeps a broken build from hanging the suite.
  for (const pid_t worker : workers) {
    EXPECT_TRUE(WaitFor([&] { return Exited(worker); }, std::chrono::seconds(5)))
        << "worker " << worker << " outlived its coordinator";
  }
  ASSERT_TRUE(Exists(segments[0])) << "a SIGKILLed coordinator cannot unlink its segment";

  const auto [dry_code, dry] = RunParlab({"clean", "--dry-run"});
  EXPECT_EQ(dry_code, 0) << dry;
  EXPECT_NE(dry.find("would remove /dev/shm" + segments[0].name), std::string::npos) << dry;
  EXPECT_NE(dry.find("owner pid " + std::to_string(run.pid()) + " is gone"), std::string::npos)
      << dry;
  EXPECT_TRUE(Exists(segments[0]));

  const auto [code, out] = RunParlab({"clean"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("removed /dev/shm" + segments[0].name + " ("), std::string::npos) << out;
  EXPECT_FALSE(Exists(segments[0]));
  EXPECT_TRUE(SegmentsOf(run.pid()).empty());
}

// What a SIGKILLed coordinator leaves, made by hand: a segment named after a
// pid that certainly ran and is certainly gone (a reaped child's).
std::string MakeOrphan() {
  Result<ChildProcess> forked = ChildProcess::Fork([] { return 0; });
  if (!forked.ok()) return "";
  const pid_t child = forked->pid();
  if (!forked->Wait().success()) return "";
  const std::string name = "/parlab-" + std::to_string(child) + "-test-orphan";
  const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return "";
  if (ftruncate(fd, 1 << 20) != 0) return "";
  close(fd);
  return name;
}

TEST(CleanCommandTest, RunSweepsOrphansAndSaysSo) {
  const std::string orphan = MakeOrphan();
  ASSERT_FALSE(orphan.empty());
  const auto [code, out] =
      RunParlab({"run", "noop", "--tasks", "10", "--trials", "1", "--warmup", "0"});
  shm_unlink(orphan.c_str());  // in case the run did not
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("parlab: removed 1 orphaned segment (1.00 MiB) left in /dev/shm by a "
                     "killed parlab: " +
                     orphan),
            std::string::npos)
      << out;
}

TEST(CleanCommandTest, NothingToCleanSaysSo) {
  const auto [code, out] = RunParlab({"clean"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("no orphaned parlab segments in /dev/shm"), std::string::npos) << out;
}

}  // namespace
}  // namespace parlab
