// The mpirun line parlab builds.
#include "coordinator/runtime/mpi_launch.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(MpiLaunchTest, OneHostLineOversubscribesAndPassesTheArgs) {
  MpirunPlan plan;
  plan.workers = 2;
  plan.parlab = "/opt/parlab/bin/parlab";
  plan.args = {"run", "matmul", "--transport", "mpi"};
  EXPECT_EQ(MpirunCommand(plan), (std::vector<std::string>{"mpirun", "-n", "3", "--oversubscribe",
                                                           "/opt/parlab/bin/parlab", "run",
                                                           "matmul", "--transport", "mpi"}));
}

TEST(MpiLaunchTest, HostsAndRootGoToMpirun) {
  MpirunPlan plan;
  plan.workers = 3;
  plan.hosts = "a:2,b:2";
  plan.hostfile = "hosts.txt";
  plan.as_root = true;
  plan.parlab = "parlab";
  EXPECT_EQ(ShellLine(MpirunCommand(plan)),
            "mpirun -n 4 --allow-run-as-root --host a:2,b:2 --hostfile hosts.txt parlab");
}

TEST(MpiLaunchTest, ShellLineQuotesWhatAShellWouldSplit) {
  EXPECT_EQ(ShellLine({"parlab", "run", "--log", "my log.jsonl", "it's"}),
            "parlab run --log 'my log.jsonl' 'it'\\''s'");
}

}  // namespace
}  // namespace parlab
