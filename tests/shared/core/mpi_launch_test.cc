// How parlab reads the MPI launcher's environment.
#include "shared/mpi_launch.h"

#include <gtest/gtest.h>

#include "tests/support/scoped_env.h"

namespace parlab {
namespace {

TEST(MpiLaunchDetectionTest, NotUnderMpirunWithoutItsVariables) {
  ScopedEnv rank("OMPI_COMM_WORLD_RANK", "");  // empty counts as unset
  ScopedEnv size("OMPI_COMM_WORLD_SIZE", "");  // empty counts as unset
  ScopedEnv pmix("PMIX_RANK", "");             // empty counts as unset
  ScopedEnv pmi("PMI_RANK", "");               // empty counts as unset
  EXPECT_FALSE(DetectMpiLaunch().under_mpirun);
}

// Open MPI's own variables, else PMI's (MPICH, Slurm): each launcher's pair,
// the other's unset.
TEST(MpiLaunchDetectionTest, ReadsTheRankAndSizeOfOpenMpiOrPmi) {
  struct Launcher {
    const char* rank_variable;
    const char* size_variable;
    const char* unset;  // the other launcher's rank
  };
  for (const Launcher& launcher :
       {Launcher{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK"},
        Launcher{"PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_RANK"}}) {
    SCOPED_TRACE(launcher.rank_variable);
    ScopedEnv other(launcher.unset, "");
    ScopedEnv pmix("PMIX_RANK", "");
    ScopedEnv rank(launcher.rank_variable, "2");
    ScopedEnv size(launcher.size_variable, "3");
    const MpiLaunch launch = DetectMpiLaunch();
    EXPECT_TRUE(launch.under_mpirun);
    EXPECT_EQ(launch.rank, 2);
    EXPECT_EQ(launch.size, 3);
  }
}

TEST(MpiLaunchDetectionTest, ARankThatIsNotANumberIsNoLaunch) {
  ScopedEnv ompi_rank("OMPI_COMM_WORLD_RANK", "two");
  ScopedEnv ompi_size("OMPI_COMM_WORLD_SIZE", "3");
  ScopedEnv pmix("PMIX_RANK", "");
  ScopedEnv pmi("PMI_RANK", "");
  EXPECT_FALSE(DetectMpiLaunch().under_mpirun);
}

}  // namespace
}  // namespace parlab
