// A SIGKILLed `parlab run --cmd` leaves no command running: in procs mode
// (the workers die with the coordinator, their commands with them) and in
// threads mode (the commands die with the coordinator). Liveness checks with
// a generous bound; never a timing.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "shared/platform/process_list.h"
#include "tests/support/parlab_process.h"
#include "tests/support/process_waits.h"

namespace parlab {
namespace {

// The live processes named `comm` below `root` in the process tree.
std::vector<pid_t> DescendantsNamed(pid_t root, const std::string& comm) {
  const std::vector<ProcessEntry> all = ListProcesses();
  std::set<pid_t> tree = {root};
  for (bool grew = true; grew;) {
    grew = false;
    for (const ProcessEntry& p : all) {
      if (tree.count(p.parent) > 0 && tree.insert(p.pid).second) grew = true;
    }
  }
  std::vector<pid_t> found;
  for (const ProcessEntry& p : all) {
    if (p.pid != root && tree.count(p.pid) > 0 && p.comm == comm && p.state != 'Z') {
      found.push_back(p.pid);
    }
  }
  return found;
}

void ExpectCommandsDieWithParlab(const std::string& mode) {
  SCOPED_TRACE(mode);
  ParlabProcess run(
      {"run", "--mode", mode, "--workers", "2", "--cmd", "sleep 30", ":::", "1", "2"});
  std::vector<pid_t> sleeps;
  ASSERT_TRUE(WaitFor(
      [&] {
        sleeps = DescendantsNamed(run.pid(), "sleep");
        return sleeps.size() == 2;
      },
      std::chrono::seconds(30)))
      << "the run never had its 2 commands running";
  run.Kill(SIGKILL);
  for (const pid_t sleep : sleeps) {
    // The bound only keeps a broken build from hanging the suite.
    const bool gone = WaitFor([&] { return !ProcessRuns(sleep); }, std::chrono::seconds(10));
    if (!gone) kill(sleep, SIGKILL);
    EXPECT_TRUE(gone) << "command " << sleep << " (sleep 30) outlived its SIGKILLed parlab";
  }
}

TEST(RunCmdKillTest, ProcsModeCommandsDieWithTheCoordinator) {
  ExpectCommandsDieWithParlab("procs");
}

TEST(RunCmdKillTest, ThreadsModeCommandsDieWithTheCoordinator) {
  ExpectCommandsDieWithParlab("threads");
}

}  // namespace
}  // namespace parlab
