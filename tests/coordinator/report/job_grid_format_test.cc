// How a job file's grid is printed (report/job_grid_format.h): the "of
// ceiling" column and the ceiling's line only where the machine's ceiling
// was probed. Pure: a report in, text out.
#include "coordinator/report/job_grid_format.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "coordinator/report/ceiling.h"

namespace parlab {
namespace {

pb::JobGridReport Grid() {
  pb::JobGridReport report;
  report.set_workload("loop");
  for (const char* mode : {"seq", "threads"}) {
    pb::JobGridRow& row = *report.add_rows();
    row.set_size("n=1000");
    row.mutable_summary()->set_mode(mode);
    row.mutable_summary()->set_workers(std::string(mode) == "seq" ? 1 : 2);
    row.mutable_summary()->set_speedup(std::string(mode) == "seq" ? 1.0 : 1.7);
  }
  return report;
}

std::string Printed(const pb::JobGridReport& report) {
  std::ostringstream out;
  PrintJobGridTable(report, out);
  return out.str();
}

TEST(JobGridFormatTest, SpeedupsStandBesideTheCeilingWhereItWasProbed) {
  pb::JobGridReport report = Grid();
  pb::CeilingProbe probe;
  probe.set_when("before");
  probe.set_cores(2);
  probe.set_ceiling(1.78);
  *report.mutable_ceiling() = SummarizeCeiling(2, {probe});
  report.mutable_rows(0)->mutable_summary()->set_possible_speedup(1.0);
  report.mutable_rows(1)->mutable_summary()->set_possible_speedup(1.78);
  const std::string text = Printed(report);
  EXPECT_NE(text.find("of ceiling"), std::string::npos) << text;
  EXPECT_NE(text.find("1.70× of 1.78×"), std::string::npos) << text;
  EXPECT_NE(text.find("ceiling: 2 cores deliver 1.78× of one"), std::string::npos) << text;
}

TEST(JobGridFormatTest, NoCeilingNoColumn) {
  const std::string text = Printed(Grid());
  EXPECT_EQ(text.find("ceiling"), std::string::npos) << text;
  EXPECT_NE(text.find("1.70×"), std::string::npos) << text;
}

}  // namespace
}  // namespace parlab
