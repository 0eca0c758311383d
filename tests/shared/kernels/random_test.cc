#include "shared/kernels/random.h"

#include <gtest/gtest.h>

#include <vector>

namespace parlab {
namespace {

TEST(RandomTest, SplitMix64MatchesTheReferenceSequence) {
  // First outputs of Vigna's splitmix64.c seeded with 0.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.Next(), 0x6E789E6AA1B965F4ull);
}

TEST(RandomTest, UniformValuesStayInMinusOneToOne) {
  std::vector<double> d(10'000);
  std::vector<float> f(10'000);
  FillUniform(1, 0, d.data(), d.size());
  FillUniform(1, 0, f.data(), f.size());
  double mean = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    ASSERT_GE(d[i], -1.0);
    ASSERT_LT(d[i], 1.0);
    ASSERT_GE(f[i], -1.0f);
    ASSERT_LT(f[i], 1.0f);
    mean += d[i];
  }
  EXPECT_NEAR(mean / 10'000, 0, 0.03);
}

TEST(RandomTest, SeedsAndStreamsGiveDifferentValuesDeterministically) {
  std::vector<double> a(8), b(8), c(8), d(8);
  FillUniform(1, 0, a.data(), 8);
  FillUniform(1, 0, b.data(), 8);
  FillUniform(1, 1, c.data(), 8);
  FillUniform(2, 0, d.data(), 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
}

}  // namespace
}  // namespace parlab
