#include "shared/kernels/eig.h"

#include <gtest/gtest.h>

#include <complex>

#include "tests/shared/kernels/kernel_test_util.h"
#include "tests/shared/kernels/reference_linalg.h"

namespace parlab {
namespace {

// Newton's identities: the power sums p_k = Σ λᵢᵏ, k = 1..n, fix the
// characteristic polynomial, hence the eigenvalues. p_k = trace(Aᵏ).
TEST(EigTest, PowerSumsEqualTracesOfPowers) {
  EigKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 500);
  params.set_n(6);
  testing::KernelRun run(kernel, params);
  const KernelResult result = run.Run();
  const std::vector<double> out = run.output<double>();
  ASSERT_EQ(out.size(), 12u);
  std::vector<std::complex<double>> values;
  double abs_sum = 0;
  for (size_t i = 0; i < 6; ++i) {
    values.emplace_back(out[2 * i], out[2 * i + 1]);
    abs_sum += std::abs(values.back());
  }
  EXPECT_TRUE(testing::Near(result.checksum, abs_sum, 1e-12));

  const double* a = run.input<double>();
  std::vector<double> power(a, a + 36);
  for (int k = 1; k <= 6; ++k) {
    double trace = 0;
    for (size_t i = 0; i < 6; ++i) trace += power[i * 6 + i];
    std::complex<double> power_sum = 0;
    for (const std::complex<double>& value : values) power_sum += std::pow(value, k);
    EXPECT_TRUE(testing::Near(power_sum.real(), trace, 1e-10)) << "k=" << k;
    EXPECT_TRUE(testing::Near(power_sum.imag(), 0, 1e-10)) << "k=" << k;
    power = testing::NaiveMatmul(power.data(), a, 6);
  }
}

TEST(EigTest, ComplexValuesComeInConjugatePairs) {
  EigKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(30);
  testing::KernelRun run(kernel, params);
  run.Run();
  const std::vector<double> out = run.output<double>();
  double imaginary_sum = 0;
  for (size_t i = 0; i < 30; ++i) imaginary_sum += out[2 * i + 1];
  EXPECT_TRUE(testing::Near(imaginary_sum, 0, 1e-12));
}

TEST(EigTest, ValidateNamesN) {
  EigKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(-1);
  EXPECT_EQ(kernel.Validate(params).message(), "eig: n must be 1..10000, got -1");
}

}  // namespace
}  // namespace parlab
