#include "shared/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

// Expected values below were computed outside this code: percentiles, means and
// standard deviations with numpy 1.24 (np.percentile's default "linear" method,
// np.std(ddof=1)); t quantiles with the published table (3 decimals) and, to more
// digits, by Gauss-Legendre integration of the t density plus bisection; normal
// quantiles with Python's statistics.NormalDist().inv_cdf.

namespace parlab {
namespace {

TEST(StudentTQuantileTest, MatchesTableAt975) {
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 4), 2.776, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 29), 2.045, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 1000000), 1.960, 5e-4);
}

TEST(StudentTQuantileTest, MatchesIndependentIntegrationToManyDigits) {
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706204736174696, 1e-9);  // tan(0.475 pi)
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.302652729749464, 1e-12);
  EXPECT_NEAR(StudentTQuantile(0.975, 3), 3.1824463052836984, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 4), 2.776445105197782, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 5), 2.5705818356363253, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 7), 2.36462425159277, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.2621571627982178, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 29), 2.04522964213273, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.0422724563012897, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 100), 1.9839715185237718, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 1000), 1.962339080825792, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.995, 3), 5.840909309733316, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.995, 7), 3.499483297350425, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.6, 3), 0.27667066233268967, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.6, 7), 0.2631668613520224, 1e-9);
}

TEST(StudentTQuantileTest, LargeDfExpansionJoinsTheExactSeries) {
  // 1000 uses the series, 1001 the Cornish-Fisher expansion: no step between them.
  EXPECT_NEAR(StudentTQuantile(0.975, 1001), 1.9623367052822087, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 5000), 1.9604385516949536, 1e-9);
  EXPECT_GT(StudentTQuantile(0.975, 1000), StudentTQuantile(0.975, 1001));
}

TEST(StudentTQuantileTest, IsSymmetricAndZeroAtMedian) {
  EXPECT_EQ(StudentTQuantile(0.5, 5), 0.0);
  EXPECT_DOUBLE_EQ(StudentTQuantile(0.025, 4), -StudentTQuantile(0.975, 4));
  EXPECT_DOUBLE_EQ(StudentTQuantile(0.1, 1), -StudentTQuantile(0.9, 1));
}

TEST(NormalQuantileTest, MatchesPythonStatistics) {
  EXPECT_NEAR(NormalQuantile(0.975), 1.9599639845400536, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.001), -3.090232306167813, 1e-13);
  EXPECT_NEAR(NormalQuantile(0.7), 0.5244005127080407, 1e-14);
  EXPECT_NEAR(NormalQuantile(1e-10), -6.361340902404056, 1e-11);
  EXPECT_EQ(NormalQuantile(0.5), 0.0);
}

TEST(PercentileTest, InterpolatesLinearlyLikeNumpy) {
  const std::vector<double> four = {1.0, 2.0, 3.0, 4.0};
  EXPECT_DOUBLE_EQ(Percentile(four, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(four, 25.0), 1.75);
  EXPECT_DOUBLE_EQ(Percentile(four, 50.0), 2.5);
  EXPECT_DOUBLE_EQ(Percentile(four, 95.0), 3.85);
  EXPECT_DOUBLE_EQ(Percentile(four, 99.0), 3.97);
  EXPECT_DOUBLE_EQ(Percentile(four, 100.0), 4.0);

  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_DOUBLE_EQ(Percentile(hundred, 95.0), 95.05);
  EXPECT_DOUBLE_EQ(Percentile(hundred, 99.0), 99.01);
  EXPECT_DOUBLE_EQ(Percentile(hundred, 50.0), 50.5);
}

TEST(PercentileTest, EmptyIsZeroAndOneSampleIsItself) {
  EXPECT_EQ(Percentile({}, 50.0), 0.0);
  EXPECT_EQ(Percentile({7.5}, 0.0), 7.5);
  EXPECT_EQ(Percentile({7.5}, 99.0), 7.5);
}

TEST(PercentileDeathTest, OutOfRangeIsABug) {
  // 0.95 would silently be the ~1st percentile; 95 is what was meant.
  EXPECT_DEATH((void)Percentile({1.0, 2.0}, 101.0), "percentile must be in \\[0, 100\\]");
  EXPECT_DEATH((void)Percentile({1.0, 2.0}, -1.0), "percentile must be in");
}

TEST(SummarizeTest, KnownAnswerEightSamples) {
  // Unsorted on purpose: Summarize sorts a copy.
  const Summary s = Summarize({5, 2, 9, 4, 4, 7, 4, 5});
  EXPECT_EQ(s.count, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.stddev, 2.138089935299395, 1e-12);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2.0);
  EXPECT_DOUBLE_EQ(s.max, 9.0);
  EXPECT_NEAR(s.p95, 8.3, 1e-12);
  EXPECT_NEAR(s.p99, 8.86, 1e-12);
  EXPECT_NEAR(s.cv, 0.427617987059879, 1e-12);
  // t(0.975, 7) · s / sqrt(8)
  EXPECT_NEAR(s.ci95_half_width, 1.7874879182362104, 1e-9);
  EXPECT_NEAR(s.ci95_low, 5.0 - 1.7874879182362104, 1e-9);
  EXPECT_NEAR(s.ci95_high, 5.0 + 1.7874879182362104, 1e-9);
}

TEST(SummarizeTest, KnownAnswerFiveSamples) {
  const Summary s = Summarize({10, 12, 11, 13, 14});
  EXPECT_DOUBLE_EQ(s.mean, 12.0);
  EXPECT_NEAR(s.stddev, 1.5811388300841898, 1e-12);
  EXPECT_DOUBLE_EQ(s.median, 12.0);
  EXPECT_NEAR(s.p95, 13.8, 1e-12);
  EXPECT_NEAR(s.p99, 13.96, 1e-12);
  EXPECT_NEAR(s.cv, 0.13176156917368248, 1e-12);
  EXPECT_NEAR(s.ci95_half_width, 1.9632431614775572, 1e-9);  // 2.776 · 1.581 / sqrt(5)
}

TEST(SummarizeTest, LargeOffsetDoesNotCancel) {
  // Nanosecond timings of ~1 s: a one-pass sum of squares would lose all digits.
  std::vector<double> xs;
  for (double d : {3, -1, 4, 1, -5, 9, 2, -6, 5, 3}) xs.push_back(1.0e9 + d);
  const Summary s = Summarize(xs);
  EXPECT_DOUBLE_EQ(s.mean, 1000000001.5);
  EXPECT_NEAR(s.stddev, 4.527692569068709, 1e-6);
  EXPECT_DOUBLE_EQ(s.median, 1000000002.5);
  EXPECT_NEAR(s.p95, 1000000007.2, 1e-6);
  EXPECT_NEAR(s.p99, 1000000008.64, 1e-6);
  EXPECT_NEAR(s.ci95_half_width, 3.23891614739538, 1e-6);
}

TEST(SummarizeTest, NoSamplesIsAllZeroNotNan) {
  const Summary s = Summarize({});
  EXPECT_EQ(s.count, 0u);
  for (double v : {s.mean, s.stddev, s.median, s.min, s.max, s.p95, s.p99, s.cv, s.ci95_half_width,
                   s.ci95_low, s.ci95_high}) {
    EXPECT_EQ(v, 0.0);
  }
}

TEST(SummarizeTest, OneSampleHasNoSpreadAndACollapsedInterval) {
  const Summary s = Summarize({42.0});
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.mean, 42.0);
  EXPECT_EQ(s.stddev, 0.0);
  EXPECT_EQ(s.median, 42.0);
  EXPECT_EQ(s.min, 42.0);
  EXPECT_EQ(s.max, 42.0);
  EXPECT_EQ(s.p95, 42.0);
  EXPECT_EQ(s.p99, 42.0);
  EXPECT_EQ(s.cv, 0.0);
  EXPECT_EQ(s.ci95_half_width, 0.0);
  EXPECT_EQ(s.ci95_low, 42.0);
  EXPECT_EQ(s.ci95_high, 42.0);
}

TEST(SummarizeTest, ZeroMeanGivesZeroCvRatherThanInfinity) {
  const Summary s = Summarize({-1.0, 1.0});
  EXPECT_EQ(s.mean, 0.0);
  EXPECT_GT(s.stddev, 0.0);
  EXPECT_EQ(s.cv, 0.0);
}

TEST(SummarizeDeathTest, NanSampleIsABug) {
  EXPECT_DEATH((void)Summarize({1.0, std::nan("")}), "non-finite sample");
}

}  // namespace
}  // namespace parlab
