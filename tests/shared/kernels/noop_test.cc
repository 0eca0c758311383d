#include "shared/kernels/noop.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

TEST(NoopTest, DoesNothingAndReturnsZero) {
  NoopKernel kernel;
  testing::CountingLock lock;
  testing::KernelRun run(kernel, kernel.Defaults());
  const KernelResult result = run.Run(1, &lock);
  EXPECT_EQ(result.checksum, 0);
  EXPECT_EQ(result.flops, 0);
  EXPECT_EQ(result.bytes, 0);
  EXPECT_TRUE(result.stages.empty());
  EXPECT_EQ(kernel.InputBytes(kernel.Defaults()), 0u);
  EXPECT_EQ(kernel.OutputBytes(kernel.Defaults()), 0u);
}

}  // namespace
}  // namespace parlab
