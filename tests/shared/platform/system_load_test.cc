#include "shared/platform/system_load.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(SystemLoadTest, ParsesLoadAvg) {
  LoadSample sample;
  ASSERT_TRUE(ParseLoadAvg("4.76 4.24 4.70 5/467 12345\n", sample));
  EXPECT_DOUBLE_EQ(sample.load1, 4.76);
  EXPECT_FALSE(ParseLoadAvg("", sample));
  EXPECT_FALSE(ParseLoadAvg("busy", sample));
}

TEST(SystemLoadTest, ParsesTheCpuLineWithoutGuestTime) {
  LoadSample sample;
  ASSERT_TRUE(ParseCpuTicks(
      "cpu  100 5 50 800 10 1 2 30 7 0\ncpu0 50 2 25 400 5 0 1 15 3 0\nintr 1\n", sample));
  EXPECT_EQ(sample.steal_ticks, 30u);
  EXPECT_EQ(sample.total_ticks, 100u + 5 + 50 + 800 + 10 + 1 + 2 + 30);  // guest is in user
  EXPECT_FALSE(ParseCpuTicks("cpu0 1 2 3 4 5 6 7 8\n", sample));         // not the aggregate line
  EXPECT_FALSE(ParseCpuTicks("cpu 1 2 3\n", sample));                    // too few columns
}

TEST(SystemLoadTest, StealShareBetweenTwoSamples) {
  const LoadSample before{1.0, 100, 10'000};
  const LoadSample after{1.0, 130, 11'000};
  EXPECT_DOUBLE_EQ(StealShare(before, after), 0.03);
  EXPECT_EQ(StealShare(after, before), 0);  // backwards: no figure
  EXPECT_EQ(StealShare(before, before), 0);
}

TEST(SystemLoadTest, ThisMachineCanBeSampled) {
  const std::optional<LoadSample> sample = SampleLoad();
  ASSERT_TRUE(sample.has_value()) << "/proc/loadavg or /proc/stat unreadable";
  EXPECT_GE(sample->load1, 0);
  EXPECT_GT(sample->total_ticks, 0u);
  EXPECT_LE(sample->steal_ticks, sample->total_ticks);
}

}  // namespace
}  // namespace parlab
