#include "shared/kernels/elementwise.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

TEST(ElementwiseTest, MultipliesEntryByEntry) {
  ElementwiseKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 2000);
  params.set_n(9);
  testing::KernelRun run(kernel, params);
  const KernelResult result = run.Run();
  const double* a = run.input<double>();
  const double* b = run.input_at<double>(704);  // 81 doubles = 648 bytes, aligned up to 704
  std::vector<double> expected(81);
  for (size_t i = 0; i < 81; ++i) expected[i] = a[i] * b[i];
  EXPECT_EQ(run.output<double>(), expected);
  EXPECT_EQ(result.flops, 81);
  EXPECT_EQ(result.bytes, 3 * 8 * 81);
}

TEST(ElementwiseTest, ChecksumSamplesTheOutput) {
  ElementwiseKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(100);
  testing::KernelRun run(kernel, params);
  const KernelResult result = run.Run();
  // 10000 entries: every 10th (stride 10000/1024 + 1), plus the last one.
  const std::vector<double> c = run.output<double>();
  double expected = 0;
  for (size_t i = 0; i < c.size(); i += 10) expected += c[i];
  expected += c.back();
  EXPECT_DOUBLE_EQ(result.checksum, expected);
}

TEST(ElementwiseTest, ValidateNamesNAndRefusesAbsurdMemory) {
  ElementwiseKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(0);
  EXPECT_EQ(kernel.Validate(params).message(), "elementwise: n must be 1..100000, got 0");
  params.set_n(60'000);  // 3 × 8 × 60000² bytes = 80 GiB
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("elementwise: n=60000 needs 80.5 GiB"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("64 GiB"), std::string::npos);
}

}  // namespace
}  // namespace parlab
