#include "shared/kernels/svd.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/shared/kernels/kernel_test_util.h"
#include "tests/shared/kernels/reference_linalg.h"

namespace parlab {
namespace {

// AᵀA for a column-major n×n matrix.
std::vector<double> Gram(const double* a, size_t n) {
  std::vector<double> at(n * n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) at[j * n + i] = a[i * n + j];
  return testing::NaiveMatmul(at.data(), a, n);
}

TEST(SvdTest, ValuesAreSquareRootsOfTheGramEigenvalues) {
  // 6 takes Eigen's small-matrix (Jacobi) path, 40 the divide-and-conquer one.
  for (int64_t n : {6, 40}) {
    SvdKernel kernel;
    KernelParams params = kernel.Defaults();
    params.set_n(n);
    testing::KernelRun run(kernel, params);
    const KernelResult result = run.Run();
    const auto size = static_cast<size_t>(n);
    const testing::SymmetricEigen gram =
        testing::JacobiEigen(Gram(run.input<double>(), size), size);
    std::vector<double> expected;
    double sum = 0;
    for (double value : gram.values) {
      expected.push_back(std::sqrt(std::fmax(value, 0.0)));
      sum += expected.back();
    }
    EXPECT_TRUE(testing::AllNear(run.output<double>(), expected, 1e-9)) << "n=" << n;
    EXPECT_TRUE(testing::Near(result.checksum, sum, 1e-9));
    const auto nd = static_cast<double>(n);
    EXPECT_DOUBLE_EQ(result.flops, 8 * nd * nd * nd / 3);
  }
}

TEST(SvdTest, ValidateNamesN) {
  SvdKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 500);
  params.set_n(10'001);
  EXPECT_EQ(kernel.Validate(params).message(), "svd: n must be 1..10000, got 10001");
}

}  // namespace
}  // namespace parlab
