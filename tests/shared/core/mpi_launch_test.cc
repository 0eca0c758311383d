// How parlab reads the MPI launcher's environment.
#include "shared/mpi_launch.h"

#include <gtest/gtest.h>

#include "tests/support/scoped_env.h"

namespace parlab {
namespace {

TEST(MpiLaunchDetectionTest, ReadsOpenMpisRankAndSize) {
  ScopedEnv rank("OMPI_COMM_WORLD_RANK", "2");
  ScopedEnv size("OMPI_COMM_WORLD_SIZE", "3");
  const MpiLaunch launch = DetectMpiLaunch();
  EXPECT_TRUE(launch.under_mpirun);
  EXPECT_EQ(launch.rank, 2);
  EXPECT_EQ(launch.size, 3);
}

TEST(MpiLaunchDetectionTest, NotUnderMpirunWithoutItsVariables) {
  ScopedEnv rank("OMPI_COMM_WORLD_RANK", "");  // empty counts as unset
  ScopedEnv size("OMPI_COMM_WORLD_SIZE", "");  // empty counts as unset
  ScopedEnv pmix("PMIX_RANK", "");             // empty counts as unset
  ScopedEnv pmi("PMI_RANK", "");               // empty counts as unset
  EXPECT_FALSE(DetectMpiLaunch().under_mpirun);
}

TEST(MpiLaunchDetectionTest, ReadsPmisRankAndSize) {
  ScopedEnv ompi_rank("OMPI_COMM_WORLD_RANK", "");
  ScopedEnv pmix("PMIX_RANK", "");
  ScopedEnv rank("PMI_RANK", "1");
  ScopedEnv size("PMI_SIZE", "4");
  const MpiLaunch launch = DetectMpiLaunch();
  EXPECT_TRUE(launch.under_mpirun);
  EXPECT_EQ(launch.rank, 1);
  EXPECT_EQ(launch.size, 4);
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
