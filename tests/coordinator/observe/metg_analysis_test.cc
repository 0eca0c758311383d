// METG's arithmetic on synthetic points: the steps, the efficiency, and the
// crossing of 50% interpolated on a log scale, with the two honest edge
// cases (reached at the floor, never reached).
#include "coordinator/observe/metg_analysis.h"

#include <gtest/gtest.h>

#include <cmath>

namespace parlab {
namespace {

pb::MetgPoint Point(double task_us, double efficiency) {
  pb::MetgPoint point;
  point.set_spin_us(static_cast<int64_t>(task_us));
  point.set_task_duration_s(task_us * 1e-6);
  point.set_efficiency(efficiency);
  return point;
}

TEST(MetgAnalysisTest, StepsAreGeometric) {
  EXPECT_EQ(MetgSteps(1, 64, 2), (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(MetgSteps(1, 100, 2), (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(MetgSteps(10, 1000, 10), (std::vector<int64_t>{10, 100, 1000}));
  // Rounded to whole µs, no repeats: 1, 1.5 -> 2, 2.25 -> 2 (dropped), 3.4 -> 3; 5.06 > 5 ends.
  EXPECT_EQ(MetgSteps(1, 5, 1.5), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(MetgSteps(7, 7, 2), std::vector<int64_t>{7});
}

TEST(MetgAnalysisTest, EfficiencyIsWorkPerUnitOverWall) {
  // 1000 tasks of 10 µs on 2 units: 5 ms of work each; in a 10 ms wall, 50%.
  EXPECT_DOUBLE_EQ(TaskEfficiency(1000, 10e-6, 2, 0.010), 0.5);
  EXPECT_DOUBLE_EQ(TaskEfficiency(1000, 10e-6, 2, 0.005), 1.0);
  EXPECT_DOUBLE_EQ(TaskEfficiency(1000, 10e-6, 2, 0.0), 0.0);
}

TEST(MetgAnalysisTest, CrossingIsInterpolatedOnALogScale) {
  // 40% at 2 µs, 60% at 8 µs: half-way in log(task), at sqrt(2 × 8) = 4 µs.
  const MetgEstimate estimate =
      EstimateMetg({Point(1, 0.2), Point(2, 0.4), Point(8, 0.6), Point(16, 0.8)});
  ASSERT_TRUE(estimate.reached);
  EXPECT_FALSE(estimate.at_floor);
  EXPECT_NEAR(estimate.metg_s, 4e-6, 1e-12);
}

TEST(MetgAnalysisTest, CrossingAtAPointIsThatPoint) {
  const MetgEstimate estimate = EstimateMetg({Point(1, 0.1), Point(2, 0.3), Point(4, 0.5)});
  ASSERT_TRUE(estimate.reached);
  EXPECT_NEAR(estimate.metg_s, 4e-6, 1e-12);
}

TEST(MetgAnalysisTest, UnevenCrossing) {
  // 20% at 10 µs, 100% at 1000 µs: 50% is 3/8 of the way in log10: 10^(1 + 0.75).
  const MetgEstimate estimate = EstimateMetg({Point(1000, 1.0), Point(10, 0.2)});
  ASSERT_TRUE(estimate.reached);
  EXPECT_NEAR(estimate.metg_s, std::pow(10.0, 1.75) * 1e-6, 1e-12);
}

TEST(MetgAnalysisTest, ReachedAtTheSmallestTaskIsAnUpperBound) {
  const MetgEstimate estimate = EstimateMetg({Point(1, 0.7), Point(2, 0.9)});
  ASSERT_TRUE(estimate.reached);
  EXPECT_TRUE(estimate.at_floor);
  EXPECT_NEAR(estimate.metg_s, 1e-6, 1e-15);
}

TEST(MetgAnalysisTest, NeverReachedIsSaid) {
  const MetgEstimate estimate = EstimateMetg({Point(1, 0.1), Point(2, 0.3), Point(4, 0.49)});
  EXPECT_FALSE(estimate.reached);
  EXPECT_FALSE(estimate.at_floor);
  EXPECT_EQ(estimate.metg_s, 0);
  EXPECT_FALSE(EstimateMetg({}).reached);
}

TEST(MetgAnalysisTest, TheSmallestTaskReachingTheTargetCounts) {
  // Noise: 55% at 4 µs, 45% at 8 µs, 70% at 16 µs. The smallest task that
  // reached 50% is 4 µs, crossed between 2 and 4.
  const MetgEstimate estimate =
      EstimateMetg({Point(2, 0.25), Point(4, 0.55), Point(8, 0.45), Point(16, 0.7)});
  ASSERT_TRUE(estimate.reached);
  EXPECT_GT(estimate.metg_s, 2e-6);
  EXPECT_LT(estimate.metg_s, 4e-6);
  // (0.5 - 0.25) / 0.3 of the way from log 2 to log 4.
  EXPECT_NEAR(estimate.metg_s, 2e-6 * std::pow(2.0, 0.25 / 0.3), 1e-12);
}

TEST(MetgAnalysisTest, OtherTargets) {
  const MetgEstimate estimate = EstimateMetg({Point(1, 0.5), Point(100, 0.9)}, 0.7);
  ASSERT_TRUE(estimate.reached);
  EXPECT_NEAR(estimate.metg_s, 10e-6, 1e-12);
}

}  // namespace
}  // namespace parlab
