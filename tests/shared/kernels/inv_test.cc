#include "shared/kernels/inv.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"
#include "tests/shared/kernels/reference_linalg.h"

namespace parlab {
namespace {

TEST(InvTest, InputIsDiagonallyDominant) {
  InvKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 1000);
  params.set_n(20);
  testing::KernelRun run(kernel, params);
  const double* a = run.input<double>();
  for (size_t i = 0; i < 20; ++i) {
    double off_diagonal = 0;
    for (size_t j = 0; j < 20; ++j) {
      if (j != i) off_diagonal += std::fabs(a[j * 20 + i]);
    }
    EXPECT_GT(std::fabs(a[i * 20 + i]), off_diagonal) << "row " << i;
  }
}

TEST(InvTest, TimesTheInputIsTheIdentity) {
  for (int64_t n : {1, 8, 50}) {
    InvKernel kernel;
    KernelParams params = kernel.Defaults();
    params.set_n(n);
    testing::KernelRun run(kernel, params);
    const KernelResult result = run.Run();
    const auto size = static_cast<size_t>(n);
    const std::vector<double> inverse = run.output<double>();
    const std::vector<double> product =
        testing::NaiveMatmul(run.input<double>(), inverse.data(), size);
    std::vector<double> identity(size * size, 0.0);
    double sum = 0;
    for (size_t i = 0; i < size; ++i) identity[i * size + i] = 1;
    for (double x : inverse) sum += x;
    EXPECT_TRUE(testing::AllNear(product, identity, 1e-12)) << "n=" << n;
    EXPECT_TRUE(testing::Near(result.checksum, sum, 1e-12));
    const auto nd = static_cast<double>(n);
    EXPECT_EQ(result.flops, 2 * nd * nd * nd);
  }
}

TEST(InvTest, ValidateNamesN) {
  InvKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(0);
  EXPECT_EQ(kernel.Validate(params).message(), "inv: n must be 1..20000, got 0");
}

}  // namespace
}  // namespace parlab
