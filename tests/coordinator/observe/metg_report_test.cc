// `parlab metg --csv` (observe/metg_report.h): a row per mode and step,
// plain numbers, the mode's answer and what the ceiling allows on each.
#include "coordinator/observe/metg_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

TEST(MetgReportTest, CsvHasARowPerModeAndStep) {
  pb::MetgReport report;
  pb::MetgMode& threads = *report.add_modes();
  threads.set_mode("threads");
  threads.set_parallel_units(2);
  threads.set_reached(true);
  threads.set_metg_s(0.0005);
  for (int64_t us : {100, 1000}) {
    pb::MetgPoint& point = *threads.add_points();
    point.set_spin_us(us);
    point.set_task_duration_s(static_cast<double>(us) * 1e-6);
    point.set_tasks(40);
    point.set_efficiency(us == 100 ? 0.25 : 0.8);
  }
  pb::MetgMode& procs = *report.add_modes();
  procs.set_mode("procs");
  procs.set_parallel_units(2);
  procs.add_points()->set_spin_us(100);

  Table table = MetgCsvTable(report);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.columns.front(), "mode");
  EXPECT_EQ(table.columns.back(), "possible_efficiency");
  const std::vector<std::string>& first = table.rows[0];
  ASSERT_EQ(first.size(), table.columns.size());
  EXPECT_EQ(first[0], "threads");
  EXPECT_EQ(first[2], "100");
  EXPECT_EQ(first[3], "0.0001");
  EXPECT_EQ(first[6], "0.25");
  EXPECT_EQ(first[8], "true");
  EXPECT_EQ(first[10], "0.0005");
  EXPECT_EQ(first[11], "0");  // nothing probed
  EXPECT_EQ(table.rows[2][0], "procs");
  EXPECT_EQ(table.rows[2][8], "false");

  pb::CeilingProbe& probe = *report.mutable_ceiling()->add_probes();
  probe.set_cores(2);
  probe.set_ceiling(1.5);
  report.mutable_ceiling()->set_cores(2);
  report.mutable_ceiling()->set_speedup(1.5);
  table = MetgCsvTable(report);
  EXPECT_EQ(table.rows[0][11], "0.75");  // 1.5× on 2 units
}

}  // namespace
}  // namespace parlab
