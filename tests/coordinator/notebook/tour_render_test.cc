#include "coordinator/notebook/tour_render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/report/ceiling.h"

namespace parlab {
namespace {

TEST(TourRenderTest, WrapTextKeepsLinesWithinTheWidth) {
  const std::string text = WrapText("one two three four five six seven eight nine ten", 16, "  ");
  std::istringstream lines(text);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_LE(line.size(), 16u) << line;
    EXPECT_EQ(line.rfind("  ", 0), 0u) << line;
  }
  EXPECT_GT(count, 2);
  EXPECT_NE(text.find("ten"), std::string::npos);
}

pb::TourRow ModeRow(const std::string& label, const std::string& mode, double mean_s) {
  pb::TourRow row = RowFromTimes(label, "parlab", {mean_s, mean_s}, 0);
  row.set_mode(mode);
  return row;
}

pb::TourSection SummaryLike() {
  pb::TourSection section;
  section.set_name("summary");
  section.set_title("12. Summary");
  section.set_explanation("why");
  const pb::TourRow seq = ModeRow("loop: seq", "seq", 2.0);
  pb::TourRow gil = ModeRow("loop: gil", "gil", 2.0);
  SetRowSpeedup(gil, seq);
  pb::TourRow procs = ModeRow("loop: procs", "procs", 1.0);
  SetRowSpeedup(procs, seq);
  const pb::TourRow mseq = ModeRow("matmul: seq", "seq", 3.0);
  pb::TourRow blas = ModeRow("matmul: blas", "blas", 1.5);
  SetRowSpeedup(blas, mseq);
  for (const pb::TourRow& row : {seq, gil, procs, mseq, blas}) *section.add_rows() = row;
  section.add_conclusions("procs 2.00×");
  section.add_notes("a note");
  return section;
}

TEST(TourRenderTest, PivotPlacesEachSpeedupUnderItsMode) {
  const SpeedupPivot pivot = PivotSpeedups(SummaryLike());
  ASSERT_EQ(pivot.workloads, (std::vector<std::string>{"loop", "matmul"}));
  ASSERT_EQ(pivot.modes, (std::vector<std::string>{"seq", "gil", "procs", "blas"}));
  EXPECT_DOUBLE_EQ(pivot.speedups[0][0], 1.0);
  EXPECT_DOUBLE_EQ(pivot.speedups[0][1], 1.0);
  EXPECT_DOUBLE_EQ(pivot.speedups[0][2], 2.0);
  EXPECT_LT(pivot.speedups[0][3], 0);  // loop had no blas run
  EXPECT_DOUBLE_EQ(pivot.speedups[1][3], 2.0);
  EXPECT_LT(pivot.speedups[1][1], 0);
}

TEST(TourRenderTest, PrintedSectionHoldsEveryPartAndTheSpeedupsOfItsRows) {
  const pb::TourSection section = SummaryLike();
  std::ostringstream out;
  PrintTourSection(section, out);
  const std::string text = out.str();
  for (const char* part : {"== 12. Summary ==", "why", "loop: procs", "matmul: blas",
                           "→ procs 2.00×", "note: a note", "speedups against seq"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  for (const pb::TourRow& row : section.rows()) {
    if (row.reference().empty()) continue;
    // The printed speedup is the ratio of the two rows' times.
    const pb::TourRow* reference = nullptr;
    for (const pb::TourRow& r : section.rows()) {
      if (r.label() == row.reference()) reference = &r;
    }
    ASSERT_NE(reference, nullptr);
    const std::string printed = fmt::format("{:.2f}×", reference->mean_s() / row.mean_s());
    const size_t line_start = text.find("  " + row.label() + " ");
    ASSERT_NE(line_start, std::string::npos) << row.label();
    const std::string line = text.substr(line_start, text.find('\n', line_start) - line_start);
    EXPECT_NE(line.find(printed), std::string::npos) << line;
  }
}

TEST(TourRenderTest, SpeedupsStandBesideTheCeilingAndTheSectionSaysIt) {
  pb::TourSection section = SummaryLike();
  pb::CeilingProbe probe;
  probe.set_when("before summary");
  probe.set_cores(2);
  probe.set_ceiling(1.78);
  *section.mutable_ceiling() = SummarizeCeiling(2, {probe});
  section.mutable_rows(2)->set_possible_speedup(1.78);  // loop: procs, 2.00×
  std::ostringstream out;
  PrintTourSection(section, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("2.00× of 1.78×"), std::string::npos) << text;
  EXPECT_NE(text.find("ceiling: 2 cores deliver 1.78× of one"), std::string::npos) << text;
  // A row without a ceiling keeps its plain speedup.
  const size_t gil = text.find("  loop: gil ");
  ASSERT_NE(gil, std::string::npos);
  const std::string line = text.substr(gil, text.find('\n', gil) - gil);
  EXPECT_NE(line.find("1.00×"), std::string::npos) << line;
  EXPECT_EQ(line.find(" of "), std::string::npos) << line;
}

TEST(TourRenderTest, ValueRowsPrintTheirUnit) {
  pb::TourSection section;
  pb::TourRow* row = section.add_rows();
  row->set_label("OMP_NUM_THREADS=1: OpenMP");
  row->set_value(1);
  row->set_unit("threads");
  std::ostringstream out;
  PrintTourSection(section, out);
  EXPECT_NE(out.str().find("1 threads"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace parlab
