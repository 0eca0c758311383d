#include "shared/kernels/omp_threads.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <thread>

#include "shared/kernels/conv.h"
#include "shared/kernels/matmul.h"
#include "tests/shared/kernels/kernel_test_util.h"

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

// A task's thread count comes from another process (TaskSpec.threads): a
// huge one is clamped, not handed to libgomp, which would try to create that
// many threads for conv's `omp parallel num_threads(...)` and abort.
TEST(OmpThreadsTest, HugeCountsAreClamped) {
  EXPECT_EQ(KernelThreads(INT_MAX), kMaxKernelThreads);
  EXPECT_EQ(KernelThreads(kMaxKernelThreads + 1), kMaxKernelThreads);
  EXPECT_EQ(KernelThreads(INT_MIN), 1);
  EXPECT_EQ(KernelThreads(5), 5);
  const int before = OpenMpThreads();
  SetOpenMpThreads(INT_MAX);
  EXPECT_EQ(OpenMpThreads(), kMaxKernelThreads);
  SetOpenMpThreads(before);
}

TEST(OmpThreadsTest, ConvWithAHugeThreadCountRuns) {
  ConvKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_batch(1);
  params.set_channels(1);
  params.set_height(8);
  params.set_width(8);
  params.set_layers("c2,p2");
  testing::KernelRun run(kernel, params);
  const double expected = run.Run(1).checksum;
  EXPECT_NEAR(run.Run(INT_MAX).checksum, expected, 1e-6 * std::abs(expected));
}

}  // namespace
}  // namespace parlab
