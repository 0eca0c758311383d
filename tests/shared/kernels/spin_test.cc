#include "shared/kernels/spin.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

// The spin loop's step, written out plainly: an LCG (Knuth's MMIX constants).
uint64_t PlainLcg(uint64_t state, uint64_t steps) {
  for (uint64_t i = 0; i < steps; ++i)
    state = state * 6364136223846793005ull + 1442695040888963407ull;
  return state;
}

TEST(SpinTest, CalibrationIsAFiniteRate) {
  const double rate = SpinIterationsPerUs();
  EXPECT_GT(rate, 0);
  EXPECT_TRUE(std::isfinite(rate));
}

TEST(SpinTest, ChecksumIsTheRequestedMicroseconds) {
  SpinKernel kernel;
  KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.us(), 1000);
  params.set_us(300);
  testing::KernelRun run(kernel, params);
  EXPECT_EQ(run.Run().checksum, 300);
}

TEST(SpinTest, ChecksInWithTheGlobalLockAboutEveryFiftyMicroseconds) {
  SpinKernel kernel;
  KernelParams params = kernel.Defaults();  // 1000 µs: about 20 checkpoints
  testing::KernelRun run(kernel, params);
  testing::CountingLock lock;
  run.Run(1, &lock);
  EXPECT_GE(lock.checkpoints, 19);
  EXPECT_LE(lock.checkpoints, 21);
}

TEST(SpinTest, CountsWorkNotTime) {
  // The iteration count alone decides the checkpoints: 10 steps in 3s = 4.
  KernelContext context;
  testing::CountingLock lock;
  context.lock = &lock;
  const uint64_t a = SpinIterations(10, 3, context);
  EXPECT_EQ(lock.checkpoints, 4);
  // All 10 steps were done, whatever the checkpoints: the state is the plain
  // loop's, seeded with the iteration count.
  EXPECT_EQ(a, PlainLcg(10, 10));
  EXPECT_EQ(SpinIterations(10, 10, KernelContext{}), PlainLcg(10, 10));
  EXPECT_EQ(SpinIterations(1000, 7, KernelContext{}), PlainLcg(1000, 1000));
  lock.checkpoints = 0;
  SpinIterations(0, 3, context);
  EXPECT_EQ(lock.checkpoints, 0);
}

TEST(SpinTest, ValidateNamesUs) {
  SpinKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_us(-5);
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "spin: us must be 0..600000000, got -5");
  params.set_us(0);
  EXPECT_TRUE(kernel.Validate(params).ok());
}

}  // namespace
}  // namespace parlab
