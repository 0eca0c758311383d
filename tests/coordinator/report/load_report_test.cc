#include "coordinator/report/load_report.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(LoadReportTest, AQuietMachineGetsNoLine) {
  const pb::LoadProbe probe =
      MakeLoadProbe(LoadSample{0.3, 0, 10'000}, LoadSample{1.9, 10, 11'000}, 2);
  EXPECT_FALSE(probe.busy());  // the load after is the measurement's own
  EXPECT_EQ(LoadLine(probe), "");
  EXPECT_DOUBLE_EQ(probe.steal_share(), 0.01);
}

TEST(LoadReportTest, LoadAboveTheCoresIsBusy) {
  const pb::LoadProbe probe =
      MakeLoadProbe(LoadSample{4.76, 0, 10'000}, LoadSample{5.10, 0, 11'000}, 2);
  EXPECT_TRUE(probe.busy());
  EXPECT_EQ(LoadLine(probe),
            "machine busy: load 4.76 before, 5.10 after on 2 usable cores, steal 0.0%: figures "
            "are slower and noisier than on a quiet machine");
  EXPECT_FALSE(MakeLoadProbe(LoadSample{1.4, 0, 1}, LoadSample{1.4, 0, 2}, 2).busy());
  EXPECT_TRUE(MakeLoadProbe(LoadSample{1.6, 0, 1}, LoadSample{1.6, 0, 2}, 2).busy());
}

TEST(LoadReportTest, StealAboveTwoPercentIsBusy) {
  const pb::LoadProbe probe =
      MakeLoadProbe(LoadSample{0.1, 100, 10'000}, LoadSample{0.1, 130, 11'000}, 4);
  EXPECT_TRUE(probe.busy());
  EXPECT_NE(LoadLine(probe).find("steal 3.0%"), std::string::npos);
}

TEST(LoadReportTest, NoSampleNoProbe) {
  const pb::LoadProbe probe = MakeLoadProbe(std::nullopt, LoadSample{9, 0, 1}, 2);
  EXPECT_FALSE(probe.busy());
  EXPECT_EQ(LoadLine(probe), "");
}

}  // namespace
}  // namespace parlab
