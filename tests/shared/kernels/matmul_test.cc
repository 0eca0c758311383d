#include "shared/kernels/matmul.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"
#include "tests/shared/kernels/reference_linalg.h"

namespace parlab {
namespace {

// B starts at the first 64-byte boundary after A.
size_t OffsetOfB(int64_t n) { return (static_cast<size_t>(n * n) * 8 + 63) / 64 * 64; }

TEST(MatmulTest, MatchesTheTripleLoop) {
  for (int64_t n : {1, 7, 67}) {
    static const MatmulKernel kernel;
    KernelParams params = kernel.Defaults();
    params.set_n(n);
    testing::KernelRun run(kernel, params);
    const KernelResult result = run.Run();
    const std::vector<double> expected = testing::NaiveMatmul(
        run.input<double>(), run.input_at<double>(OffsetOfB(n)), static_cast<size_t>(n));
    EXPECT_TRUE(testing::AllNear(run.output<double>(), expected, 1e-12)) << "n=" << n;
    double sum = 0;
    for (double c : expected) sum += c;
    EXPECT_TRUE(testing::Near(result.checksum, sum, 1e-12));
    const auto nd = static_cast<double>(n);
    EXPECT_EQ(result.flops, 2 * nd * nd * nd);
    EXPECT_EQ(result.bytes, 24 * nd * nd);
  }
}

TEST(MatmulTest, SameProductOnOneAndTwoThreads) {
  static const MatmulKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(160);  // large enough for Eigen to split the product
  testing::KernelRun run(kernel, params);
  run.Run(1);
  const std::vector<double> one = run.output<double>();
  run.Run(2);
  EXPECT_TRUE(testing::AllNear(run.output<double>(), one, 1e-12));
}

TEST(MatmulTest, InputIsAThenBEach64ByteAligned) {
  MatmulKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 1000);
  params.set_n(7);  // 392 bytes: B must start at 448
  EXPECT_EQ(kernel.InputBytes(params), 448u + 392u);
  EXPECT_EQ(kernel.OutputBytes(params), 392u);
}

TEST(MatmulTest, ValidateNamesN) {
  MatmulKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(0);
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "matmul: n must be 1..20000, got 0");
  params.set_n(20'001);
  EXPECT_FALSE(kernel.Validate(params).ok());
  params.set_n(20'000);
  EXPECT_TRUE(kernel.Validate(params).ok());
}

}  // namespace
}  // namespace parlab
