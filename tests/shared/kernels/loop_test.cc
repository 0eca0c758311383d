#include "shared/kernels/loop.h"

#include <gtest/gtest.h>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

// sum(i*i, i < n) = n(n-1)(2n-1)/6, mod 2^64. The divisions by 2 and 3 are
// done on whichever factor they divide, before the wrapping products.
uint64_t ClosedForm(uint64_t n) {
  if (n == 0) return 0;
  uint64_t a = n, b = n - 1, c = 2 * n - 1;
  if (a % 2 == 0)
    a /= 2;
  else
    b /= 2;
  if (a % 3 == 0)
    a /= 3;
  else if (b % 3 == 0)
    b /= 3;
  else
    c /= 3;
  return a * b * c;
}

TEST(LoopTest, MatchesTheClosedFormModTwoToThe64) {
  LoopKernel kernel;
  for (int64_t n : {0, 1, 2, 3, 10, 1000, 65536 * 3 + 5}) {
    KernelParams params = kernel.Defaults();
    params.set_n(n);
    testing::KernelRun run(kernel, params);
    EXPECT_EQ(run.Run().checksum, LoopChecksum(ClosedForm(static_cast<uint64_t>(n)))) << n;
    EXPECT_EQ(LoopTotal(static_cast<uint64_t>(n), KernelContext{}),
              ClosedForm(static_cast<uint64_t>(n)))
        << n;
  }
}

TEST(LoopTest, NotebookSizeWrapsAroundExactly) {
  LoopKernel kernel;
  const KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.n(), 5'000'000);
  // 5e6³/3 ≈ 4e19 > 2^64: this total has wrapped, and must still match.
  EXPECT_EQ(LoopTotal(5'000'000, KernelContext{}), ClosedForm(5'000'000));
  testing::KernelRun run(kernel, params);
  EXPECT_EQ(run.Run().checksum, LoopChecksum(ClosedForm(5'000'000)));
}

TEST(LoopTest, ChecksumFoldsAllBitsExactly) {
  EXPECT_EQ(LoopChecksum(0), 0);
  EXPECT_EQ(LoopChecksum(12345), 12345);
  EXPECT_NE(LoopChecksum(uint64_t{1} << 60), LoopChecksum(0));
  EXPECT_LT(LoopChecksum(~uint64_t{0}), 0x1.0p53);
}

TEST(LoopTest, ChecksInWithTheGlobalLockEvery65536Iterations) {
  LoopKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(65536 * 3 + 5);
  testing::KernelRun run(kernel, params);
  testing::CountingLock lock;
  run.Run(1, &lock);
  EXPECT_EQ(lock.checkpoints, 4);
  params.set_n(0);
  testing::KernelRun empty(kernel, params);
  lock.checkpoints = 0;
  empty.Run(1, &lock);
  EXPECT_EQ(lock.checkpoints, 0);
}

TEST(LoopTest, ValidateNamesN) {
  LoopKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_n(-1);
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "loop: n must be 0..1000000000000, got -1");
}

}  // namespace
}  // namespace parlab
