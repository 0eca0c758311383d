// SpawnedGroup: a command dies with the thread that spawned it
// (PR_SET_PDEATHSIG), so a SIGKILLed parlab leaves no command behind; and
// the ordinary paths (exit status, a missing program, KillGroup) still work.
// Liveness checks with a generous bound, never timings.
#include "shared/platform/spawned_group.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "shared/platform/child_process.h"
#include "shared/platform/fd_pair.h"
#include "shared/platform/unique_fd.h"

namespace parlab {
namespace {

// Gone, or a zombie that is not ours to reap: either way it has ended.
bool Ended(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return true;
  const size_t close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z' ||
         line[close + 2] == 'X';
}

bool EndsWithin(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!Ended(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST(SpawnedGroupTest, ReportsTheExitCodeAndIsItsOwnGroup) {
  UniqueFd null_fd(open("/dev/null", O_WRONLY | O_CLOEXEC));
  Result<SpawnedGroup> group =
      SpawnedGroup::Spawn({"sh", "-c", "[ $(cut -d' ' -f5 /proc/$$/stat) -eq $$ ] && exit 3"},
                          null_fd.get(), null_fd.get());
  ASSERT_TRUE(group.ok()) << group.status().ToString();
  std::optional<SpawnedExit> exit;
  for (int i = 0; i < 10000 && !(exit = group->TryReap()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3);  // 3 only when its pgid is its pid
}

TEST(SpawnedGroupTest, AMissingProgramIsNotFound) {
  Result<SpawnedGroup> group = SpawnedGroup::Spawn({"parlab-no-such-program-xyz"}, 1, 2);
  EXPECT_EQ(group.status().code(), StatusCode::kNotFound);
  group = SpawnedGroup::Spawn({"/nonexistent/dir/prog"}, 1, 2);
  EXPECT_EQ(group.status().code(), StatusCode::kNotFound);
}

TEST(SpawnedGroupTest, KillGroupEndsItBySignal) {
  UniqueFd null_fd(open("/dev/null", O_WRONLY | O_CLOEXEC));
  Result<SpawnedGroup> group = SpawnedGroup::Spawn({"sleep", "30"}, null_fd.get(), null_fd.get());
  ASSERT_TRUE(group.ok()) << group.status().ToString();
  EXPECT_EQ(group->KillGroup().signal, SIGKILL);
}

// A process that spawns `sleep 30` and is then SIGKILLed (as a coordinator
// or a worker can be): the sleep must end with it, not run on as an orphan.
TEST(SpawnedGroupTest, ACommandDiesWithTheProcessThatSpawnedIt) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  const int report = pipe->second.get();
  Result<ChildProcess> spawner = ChildProcess::Fork([report] {
    UniqueFd null_fd(open("/dev/null", O_WRONLY | O_CLOEXEC));
    Result<SpawnedGroup> sleeper =
        SpawnedGroup::Spawn({"sleep", "30"}, null_fd.get(), null_fd.get());
    const pid_t pid = sleeper.ok() ? sleeper->pid() : -1;
    if (write(report, &pid, sizeof(pid)) != sizeof(pid)) return 1;
    raise(SIGKILL);  // no destructor runs: what a SIGKILLed parlab leaves
    return 1;
  });
  ASSERT_TRUE(spawner.ok()) << spawner.status().ToString();
  pipe->second.Reset();
  pid_t sleeper = -1;
  ASSERT_EQ(read(pipe->first.get(), &sleeper, sizeof(sleeper)),
            static_cast<ssize_t>(sizeof(sleeper)));
  ASSERT_GT(sleeper, 0) << "the spawner could not spawn sleep";
  EXPECT_EQ(spawner->Wait().term_signal, SIGKILL);
  // Liveness, not timing: the bound only keeps a broken build from hanging.
  const bool ended = EndsWithin(sleeper, std::chrono::seconds(10));
  if (!ended) kill(sleeper, SIGKILL);
  EXPECT_TRUE(ended) << "sleep " << sleeper << " outlived the process that spawned it";
}

}  // namespace
}  // namespace parlab
