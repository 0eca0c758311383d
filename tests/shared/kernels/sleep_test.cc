#include "shared/kernels/sleep.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

TEST(SleepTest, DefaultsToTheNotebooksHundredMilliseconds) {
  EXPECT_EQ(SleepKernel().Defaults().ms(), 100);
}

TEST(SleepTest, ReturnsItsDurationAsChecksum) {
  SleepKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_ms(2);
  testing::KernelRun run(kernel, params);
  const KernelResult result = run.Run();
  EXPECT_EQ(result.checksum, 2);
  EXPECT_EQ(result.flops, 0);
}

TEST(SleepTest, ValidateNamesMs) {
  SleepKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_ms(-1);
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "sleep: ms must be 0..3600000, got -1");
  params.set_ms(0);
  EXPECT_TRUE(kernel.Validate(params).ok());
}

}  // namespace
}  // namespace parlab
