#include "shared/report_warnings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

using Lines = std::vector<std::string>;

TEST(ReportWarningsTest, CleanRunHasNoWarnings) {
  EXPECT_EQ(ReportWarnings(0.01, 2, 1, 2, "Release"), Lines{});
  EXPECT_EQ(ReportWarnings(0.0, 1, 1, 1, "RelWithDebInfo"), Lines{});
}

TEST(ReportWarningsTest, NoisyAboveFivePercent) {
  EXPECT_EQ(ReportWarnings(0.073, 1, 1, 2, "Release"),
            Lines{"noisy: CV 7.3% > 5% — repeat, close other programs, or add --trials"});
  // Exactly 5% is not above the threshold.
  EXPECT_EQ(ReportWarnings(0.05, 1, 1, 2, "Release"), Lines{});
}

TEST(ReportWarningsTest, OversubscribedWhenThreadsExceedCores) {
  EXPECT_EQ(ReportWarnings(0.0, 4, 2, 2, "Release"),
            Lines{"oversubscribed: 4 processes × 2 threads = 8 > 2 cores"});
  EXPECT_EQ(ReportWarnings(0.0, 1, 3, 1, "Release"),
            Lines{"oversubscribed: 1 process × 3 threads = 3 > 1 core"});
  // Exactly as many as the cores is fine.
  EXPECT_EQ(ReportWarnings(0.0, 2, 1, 2, "Release"), Lines{});
}

TEST(ReportWarningsTest, UnknownCoresSkipTheCheck) {
  EXPECT_EQ(ReportWarnings(0.0, 64, 64, 0, "Release"), Lines{});
}

TEST(ReportWarningsTest, LargeCountsDoNotOverflow) {
  EXPECT_EQ(ReportWarnings(0.0, 1024, 4194304, 2, "Release"),
            Lines{"oversubscribed: 1024 processes × 4194304 threads = 4294967296 > 2 cores"});
}

TEST(ReportWarningsTest, NonReleaseBuilds) {
  EXPECT_EQ(ReportWarnings(0.0, 1, 1, 2, "Debug"),
            Lines{"not a release build (Debug): timings are not representative"});
  EXPECT_EQ(ReportWarnings(0.0, 1, 1, 2, "MinSizeRel"),
            Lines{"not a release build (MinSizeRel): timings are not representative"});
  EXPECT_EQ(ReportWarnings(0.0, 1, 1, 2, ""),
            Lines{"not a release build (no build type): timings are not representative"});
}

TEST(ReportWarningsTest, AllThreeInFixedOrder) {
  const Lines lines = ReportWarnings(0.2, 4, 2, 2, "Debug");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("noisy:", 0), 0u);
  EXPECT_EQ(lines[1].rfind("oversubscribed:", 0), 0u);
  EXPECT_EQ(lines[2].rfind("not a release build", 0), 0u);
}

}  // namespace
}  // namespace parlab
