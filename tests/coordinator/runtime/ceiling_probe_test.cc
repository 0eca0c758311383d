// The ceiling probe runs and fills every field; its options are checked.
// No timing is asserted beyond "something was measured".
#include "coordinator/runtime/ceiling_probe.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(CeilingProbeTest, MeasuresAloneAndTogether) {
  CeilingOptions options;
  options.cores = 2;
  options.loop_s = 0.002;
  options.repeats = 1;
  Result<CeilingProbe> probe = CeilingProbe::Make(options);
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->cores(), 2);
  EXPECT_GT(probe->loop_n(), 0);
  const pb::CeilingProbe p = probe->Probe("before");
  EXPECT_EQ(p.when(), "before");
  EXPECT_EQ(p.cores(), 2);
  EXPECT_EQ(p.loop_n(), probe->loop_n());
  EXPECT_GT(p.one_s(), 0);
  EXPECT_GT(p.all_s(), 0);
  EXPECT_DOUBLE_EQ(p.ceiling(), 2 * p.one_s() / p.all_s());
}

TEST(CeilingProbeTest, BadOptionsNameTheOption) {
  CeilingOptions cores;
  cores.cores = 5000;
  EXPECT_NE(CeilingProbe::Make(cores).status().message().find("cores"), std::string::npos);
  CeilingOptions loop;
  loop.loop_s = 0;
  EXPECT_NE(CeilingProbe::Make(loop).status().message().find("loop_s"), std::string::npos);
  CeilingOptions repeats;
  repeats.repeats = 0;
  EXPECT_NE(CeilingProbe::Make(repeats).status().message().find("repeats"), std::string::npos);
}

}  // namespace
}  // namespace parlab
