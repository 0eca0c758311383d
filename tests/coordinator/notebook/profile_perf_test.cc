#include "coordinator/notebook/profile_perf.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parlab {
namespace {

TEST(ProfilePerfTest, ParsesCountsAndNotSupported) {
  const std::vector<PerfEvent> events = ParsePerfCsv(
      "# started on Thu Nov 26\n\n"
      "1000000,,cycles:u,500,100.00,,\n"
      "2500000,,instructions,500,100.00,2.50,insn per cycle\n"
      "<not supported>,,cache-references,0,100.00,,\n"
      "<not counted>,,cache-misses,0,0.00,,\n");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].name, "cycles");
  ASSERT_TRUE(events[0].value.has_value());
  EXPECT_DOUBLE_EQ(*events[0].value, 1e6);
  EXPECT_DOUBLE_EQ(*events[1].value, 2.5e6);
  EXPECT_FALSE(events[2].value.has_value());
  EXPECT_EQ(events[2].why_not, "not supported");
  EXPECT_EQ(events[3].why_not, "not counted");
}

TEST(ProfilePerfTest, PrintsIpcWhenCounted) {
  PerfStat stat;
  stat.ran = true;
  stat.events = ParsePerfCsv(
      "1000,,cycles,1,100,,\n2000,,instructions,1,100,,\n"
      "400,,cache-references,1,100,,\n100,,cache-misses,1,100,,\n");
  std::ostringstream out;
  PrintPerfStat(stat, out);
  EXPECT_NE(out.str().find("IPC (instructions per cycle)  2.00"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("25.0%"), std::string::npos) << out.str();
}

TEST(ProfilePerfTest, SaysSoWhenNothingIsCounted) {
  PerfStat stat;
  stat.ran = true;
  stat.events = ParsePerfCsv("<not supported>,,cycles,0,100.00,,\n");
  std::ostringstream out;
  PrintPerfStat(stat, out);
  EXPECT_NE(out.str().find("<not supported>"), std::string::npos);
  EXPECT_NE(out.str().find("no hardware"), std::string::npos);

  PerfStat missing;
  missing.note = "perf not installed";
  std::ostringstream absent;
  PrintPerfStat(missing, absent);
  EXPECT_NE(absent.str().find("perf not installed"), std::string::npos);
}

}  // namespace
}  // namespace parlab
