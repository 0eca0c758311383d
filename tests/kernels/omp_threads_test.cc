#include "shared/kernels/omp_threads.h"

#include <gtest/gtest.h>

#include <thread>

#include "shared/kernels/matmul.h"
#include "tests/kernels/kernel_test_util.h"

namespace parlab {
namespace {

TEST(OmpThreadsTest, SettingReachesOnlyTheCallingThread) {
  const int before = OpenMpThreads();
  SetOpenMpThreads(7);
  EXPECT_EQ(OpenMpThreads(), 7);
  int seen_elsewhere = 0;
  std::thread other([&] { seen_elsewhere = OpenMpThreads(); });
  other.join();
  // A new thread starts from the process's initial value, not from ours: two
  // workers running kernels side by side cannot change each other's count.
  EXPECT_NE(seen_elsewhere, 7);
  SetOpenMpThreads(before);
}

TEST(OmpThreadsTest, NonPositiveMeansOne) {
  const int before = OpenMpThreads();
  SetOpenMpThreads(0);
  EXPECT_EQ(OpenMpThreads(), 1);
  SetOpenMpThreads(-3);
  EXPECT_EQ(OpenMpThreads(), 1);
  SetOpenMpThreads(before);
}

TEST(OmpThreadsTest, ThreadedKernelsTakeTheContextsCount) {
  MatmulKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(8);
  testing::KernelRun run(kernel, params);
  run.Run(3);
  EXPECT_EQ(OpenMpThreads(), 3);
  run.Run(1);
  EXPECT_EQ(OpenMpThreads(), 1);
}

}  // namespace
}  // namespace parlab
