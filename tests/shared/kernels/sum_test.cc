#include "shared/kernels/sum.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

TEST(SumTest, AddsEveryEntry) {
  SumKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 2000);
  params.set_n(13);
  testing::KernelRun run(kernel, params);
  const KernelResult result = run.Run();
  double expected = 0;
  for (size_t i = 0; i < 169; ++i) expected += run.input<double>()[i];
  EXPECT_TRUE(testing::Near(result.checksum, expected, 1e-13));
  EXPECT_EQ(result.flops, 169);
  EXPECT_EQ(result.bytes, 8 * 169);
  EXPECT_EQ(kernel.OutputBytes(params), 0u);
}

TEST(SumTest, ValidateNamesNAndRefusesAbsurdMemory) {
  SumKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(-3);
  EXPECT_EQ(kernel.Validate(params).message(), "sum: n must be 1..100000, got -3");
  params.set_n(100'000);  // 8 × 10^10 bytes = 74.5 GiB
  EXPECT_NE(kernel.Validate(params).message().find("64 GiB"), std::string::npos);
  params.set_n(90'000);  // 60.4 GiB
  EXPECT_TRUE(kernel.Validate(params).ok());
}

}  // namespace
}  // namespace parlab
