#include "coordinator/report/ceiling.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

pb::CeilingProbe Probe(const char* when, double ceiling) {
  pb::CeilingProbe probe;
  probe.set_when(when);
  probe.set_cores(2);
  probe.set_ceiling(ceiling);
  return probe;
}

TEST(CeilingTest, SummarizesProbesAsMeanAndRange) {
  const pb::Ceiling c = SummarizeCeiling(2, {Probe("before", 1.74), Probe("after", 1.82)});
  EXPECT_DOUBLE_EQ(c.speedup(), 1.78);
  EXPECT_DOUBLE_EQ(c.low(), 1.74);
  EXPECT_DOUBLE_EQ(c.high(), 1.82);
  EXPECT_EQ(c.probes_size(), 2);
  EXPECT_EQ(c.text(), "2 cores deliver 1.78× of one");
  EXPECT_EQ(CeilingLine(c),
            "ceiling: 2 cores deliver 1.78× of one (1.74–1.82× over 2 probes: before, after)");
}

TEST(CeilingTest, PossibleSpeedupRunsFromOneToTheCeiling) {
  pb::CeilingProbe probe = Probe("env", 7.0);
  probe.set_cores(8);
  const pb::Ceiling c = SummarizeCeiling(8, {probe});
  EXPECT_DOUBLE_EQ(PossibleSpeedup(c, 1), 1.0);
  EXPECT_DOUBLE_EQ(PossibleSpeedup(c, 8), 7.0);
  EXPECT_DOUBLE_EQ(PossibleSpeedup(c, 16), 7.0);  // oversubscribed: the cores are all there is
  EXPECT_NEAR(PossibleSpeedup(c, 4), 1 + 3 * 6.0 / 7, 1e-12);
}

TEST(CeilingTest, NothingProbedSaysNothing) {
  const pb::Ceiling none = SummarizeCeiling(4, {});
  EXPECT_EQ(PossibleSpeedup(none, 4), 0);
  EXPECT_EQ(CeilingLine(none), "");
  EXPECT_EQ(OfCeiling(1.5, 0), "");
  EXPECT_EQ(OfCeiling(1.7, 1.78), "1.70× of 1.78×");
}

}  // namespace
}  // namespace parlab
