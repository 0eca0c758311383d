#include "coordinator/notebook/tour_verdict.h"

#include <gtest/gtest.h>

#include "coordinator/notebook/tour_sections_shared.h"
#include "coordinator/report/verdict.h"

namespace parlab {
namespace {

// A row of `group` whose trials lie in [mean - spread, mean + spread].
void AddRow(pb::TourSection& section, const std::string& group, pb::Mode mode, double mean_s,
            double spread_s, double seq_s) {
  pb::TourRow& row = *section.add_rows();
  row.set_label(SummaryLabel(group, mode));
  row.set_mode(mode == pb::SEQ ? "seq" : mode == pb::PROCS ? "procs" : "threads");
  row.set_trials(5);
  row.set_mean_s(mean_s);
  row.set_std_s(spread_s);
  row.set_ci95_low_s(mean_s - spread_s);
  row.set_ci95_high_s(mean_s + spread_s);
  if (mode != pb::SEQ) {
    row.set_reference(SummaryLabel(group, pb::SEQ));
    row.set_speedup(seq_s / mean_s);
  }
}

// The loop's grain: dispatch of 50 µs, so the floor is 20 ms for loops
// and 5 ms a task for other work.
pb::TourSection WithGrain() {
  pb::TourSection section;
  pb::TourGrain& grain = *section.add_grains();
  grain.set_experiment(kSummaryLoop);
  grain.set_dispatch_s(50e-6);
  return section;
}

TEST(TourVerdictTest, AClearWinIsAVerdict) {
  pb::TourSection section = WithGrain();
  AddRow(section, kSummaryLoop, pb::SEQ, 0.100, 0.002, 0.100);
  AddRow(section, kSummaryLoop, pb::PROCS, 0.052, 0.002, 0.100);
  AddRow(section, kSummaryLoop, pb::THREADS, 0.080, 0.002, 0.100);
  EXPECT_EQ(GroupConclusion(section, kSummaryLoop, kQuickRemedy),
            std::string(kSummaryLoop) + ": fastest mode procs at 1.92× seq's speed");
}

TEST(TourVerdictTest, OverlappingIntervalsWithholdTheVerdict) {
  // Like the run (threads 2.62 ms ± 1.95 ms against seq 1.11 ms):
  // a wide interval over seq's. No grain, so no dispatch cost and no floor.
  pb::TourSection section;
  AddRow(section, kSummaryMatmul, pb::SEQ, 1.11e-3, 0.09e-3, 1.11e-3);
  AddRow(section, kSummaryMatmul, pb::THREADS, 0.9e-3, 0.5e-3, 1.11e-3);
  const std::string conclusion = GroupConclusion(section, kSummaryMatmul, kQuickRemedy);
  EXPECT_NE(conclusion.find("not distinguishable here (CV "), std::string::npos) << conclusion;
  EXPECT_NE(conclusion.find("rerun without --quick"), std::string::npos) << conclusion;
  EXPECT_EQ(conclusion.find("fastest mode"), std::string::npos) << conclusion;
}

TEST(TourVerdictTest, ATaskUnderTheFloorGetsNoVerdict) {
  pb::TourSection section = WithGrain();
  // 2 tasks of 0.5 ms: the notebook's n, far under the 20 ms floor.
  AddRow(section, kSummaryLoopNotebookN, pb::SEQ, 1e-3, 1e-5, 1e-3);
  AddRow(section, kSummaryLoopNotebookN, pb::PROCS, 2e-3, 1e-5, 1e-3);
  const std::string conclusion = GroupConclusion(section, kSummaryLoopNotebookN, kQuickRemedy);
  EXPECT_NE(conclusion.find("under the 20.0 ms below which dispatch"), std::string::npos)
      << conclusion;
  EXPECT_EQ(conclusion.find("no mode beat seq"), std::string::npos) << conclusion;
  // matmul ×10 at 1 ms a task is under 100 × 50 µs; at 10 ms it is not.
  AddRow(section, kSummaryMatmul, pb::SEQ, 10e-3, 1e-5, 10e-3);
  EXPECT_TRUE(UnderFloor(section, kSummaryMatmul).has_value());
  pb::TourSection longer = WithGrain();
  AddRow(longer, kSummaryMatmul, pb::SEQ, 100e-3, 1e-5, 100e-3);
  EXPECT_FALSE(UnderFloor(longer, kSummaryMatmul).has_value());
}

TEST(TourVerdictTest, TheGuideIsNotTheFastestOnlyWhenTheGapIsClear) {
  pb::TourSection section = WithGrain();
  AddRow(section, kSummaryLoop, pb::SEQ, 0.100, 0.002, 0.100);
  AddRow(section, kSummaryLoop, pb::PROCS, 0.090, 0.002, 0.100);    // the guide's choice
  AddRow(section, kSummaryLoop, pb::THREADS, 0.050, 0.002, 0.100);  // clearly faster
  pb::TourSection out;
  std::string verdict = JudgeGuide(section, kSummaryLoop, pb::PROCS,
                                   {pb::SEQ, pb::PROCS, pb::THREADS}, kQuietRemedy, out);
  EXPECT_NE(verdict.find("the guide's choice is NOT the fastest here"), std::string::npos)
      << verdict;
  EXPECT_EQ(out.rows_size(), 3);
  // The same means with wide intervals: no verdict either way.
  section.mutable_rows(1)->set_ci95_low_s(0.04);
  section.mutable_rows(1)->set_ci95_high_s(0.14);
  verdict = JudgeGuide(section, kSummaryLoop, pb::PROCS, {pb::SEQ, pb::PROCS, pb::THREADS},
                       kQuietRemedy, out);
  EXPECT_EQ(verdict.find("NOT the fastest"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("not distinguishable here"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("rerun on a quieter machine"), std::string::npos) << verdict;
}

TEST(TourVerdictTest, TheGuideHoldsWhenItsChoiceClearlyBeatsSeq) {
  pb::TourSection section = WithGrain();
  AddRow(section, kSummaryLoop, pb::SEQ, 0.100, 0.002, 0.100);
  AddRow(section, kSummaryLoop, pb::PROCS, 0.052, 0.002, 0.100);
  pb::TourSection out;
  const std::string verdict =
      JudgeGuide(section, kSummaryLoop, pb::PROCS, {pb::SEQ, pb::PROCS}, kQuietRemedy, out);
  EXPECT_NE(verdict.find("the guide's choice holds here"), std::string::npos) << verdict;
}

}  // namespace
}  // namespace parlab
