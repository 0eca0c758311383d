#include "shared/kernels/pca.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/shared/kernels/kernel_test_util.h"
#include "tests/shared/kernels/reference_linalg.h"

namespace parlab {
namespace {

KernelParams Params(int64_t rows, int64_t cols, int64_t k) {
  KernelParams params = PcaKernel().Defaults();
  params.set_rows(rows);
  params.set_cols(cols);
  params.set_k(k);
  return params;
}

// The textbook computation, one loop at a time (column-major rows×k result).
std::vector<double> ReferencePca(const double* input, size_t rows, size_t cols, size_t k) {
  std::vector<double> x(input, input + rows * cols);
  for (size_t j = 0; j < cols; ++j) {
    double mean = 0;
    for (size_t i = 0; i < rows; ++i) mean += x[j * rows + i];
    mean /= static_cast<double>(rows);
    double variance = 0;
    for (size_t i = 0; i < rows; ++i) {
      x[j * rows + i] -= mean;
      variance += x[j * rows + i] * x[j * rows + i];
    }
    const double std_dev = std::sqrt(variance / static_cast<double>(rows));
    if (std_dev > 0) {
      for (size_t i = 0; i < rows; ++i) x[j * rows + i] /= std_dev;
    }
  }
  std::vector<double> covariance(cols * cols, 0.0);
  for (size_t a = 0; a < cols; ++a)
    for (size_t b = 0; b < cols; ++b) {
      for (size_t i = 0; i < rows; ++i)
        covariance[b * cols + a] += x[a * rows + i] * x[b * rows + i];
      covariance[b * cols + a] /= static_cast<double>(rows);
    }
  testing::SymmetricEigen eigen = testing::JacobiEigen(covariance, cols);
  std::vector<double> projection(rows * k, 0.0);
  for (size_t c = 0; c < k; ++c) {
    double* v = &eigen.vectors[c * cols];
    size_t largest = 0;
    for (size_t j = 1; j < cols; ++j) {
      if (std::fabs(v[j]) > std::fabs(v[largest])) largest = j;
    }
    const double sign = v[largest] < 0 ? -1.0 : 1.0;
    for (size_t i = 0; i < rows; ++i) {
      double sum = 0;
      for (size_t j = 0; j < cols; ++j) sum += x[j * rows + i] * v[j];
      projection[c * rows + i] = sign * sum;
    }
  }
  return projection;
}

TEST(PcaTest, MatchesTheTextbookComputation) {
  PcaKernel kernel;
  testing::KernelRun run(kernel, Params(40, 5, 3));
  const KernelResult result = run.Run();
  const std::vector<double> expected = ReferencePca(run.input<double>(), 40, 5, 3);
  EXPECT_TRUE(testing::AllNear(run.output<double>(), expected, 1e-9));
  double abs_sum = 0;
  for (double p : expected) abs_sum += std::fabs(p);
  EXPECT_TRUE(testing::Near(result.checksum, abs_sum, 1e-9));
}

TEST(PcaTest, TimesEachOfTheFourStages) {
  PcaKernel kernel;
  testing::KernelRun run(kernel, Params(50, 6, 2));
  const KernelResult result = run.Run();
  ASSERT_EQ(result.stages.size(), 4u);
  const char* names[] = {"normalise", "covariance", "svd", "projection"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(result.stages[i].name, names[i]);
    EXPECT_GE(result.stages[i].ns, 0);
  }
}

TEST(PcaTest, ConstantColumnGivesNoNaN) {
  PcaKernel kernel;
  testing::KernelRun run(kernel, Params(30, 4, 4));
  for (size_t i = 0; i < 30; ++i) run.mutable_input<double>()[30 + i] = 2.5;  // column 1
  const KernelResult result = run.Run();
  EXPECT_TRUE(std::isfinite(result.checksum));
  EXPECT_TRUE(
      testing::AllNear(run.output<double>(), ReferencePca(run.input<double>(), 30, 4, 4), 1e-9));
}

TEST(PcaTest, ScratchKeptBetweenCallsOfOtherSizesDoesNotLeak) {
  PcaKernel kernel;
  testing::KernelRun small(kernel, Params(40, 5, 3));
  testing::KernelRun large(kernel, Params(200, 30, 7));
  small.Run();
  const std::vector<double> first = small.output<double>();
  large.Run();
  small.Run();
  EXPECT_EQ(small.output<double>(), first);
}

TEST(PcaTest, ValidateNamesEachField) {
  PcaKernel kernel;
  const KernelParams defaults = kernel.Defaults();
  EXPECT_EQ(defaults.rows(), 1000);
  EXPECT_EQ(defaults.cols(), 100);
  EXPECT_EQ(defaults.k(), 10);
  EXPECT_EQ(kernel.Validate(Params(1, 5, 2)).message(), "pca: rows must be 2..10000000, got 1");
  EXPECT_EQ(kernel.Validate(Params(10, 0, 2)).message(), "pca: cols must be 1..10000, got 0");
  EXPECT_EQ(kernel.Validate(Params(10, 5, 6)).message(), "pca: k must be 1..cols (5), got 6");
  EXPECT_EQ(kernel.Validate(Params(10, 5, 0)).message(), "pca: k must be 1..cols (5), got 0");
  const Status huge = kernel.Validate(Params(10'000'000, 10'000, 10));
  EXPECT_NE(huge.message().find("64 GiB"), std::string::npos) << huge.message();
}

}  // namespace
}  // namespace parlab
