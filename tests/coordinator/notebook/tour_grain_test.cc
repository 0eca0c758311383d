// The tour's helpers around the sizing rule: what a Python task took, how
// many trials fit, and the printed line. Pure: nothing is measured.

#include "coordinator/notebook/tour_grain.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(TourGrainTest, ThePythonTaskIsItsSeqRowPerTask) {
  pb::TourSection section;
  pb::TourRow& parlab = *section.add_rows();
  parlab.set_label("seq");
  parlab.set_source("parlab");
  parlab.set_mean_s(1.0);
  pb::TourRow& python = *section.add_rows();
  python.set_label("Python: seq");
  python.set_source("python");
  python.set_mean_s(0.076);
  const PythonTask task = PythonTaskOf(section, "Python: seq", 2, 1'000'000);
  EXPECT_DOUBLE_EQ(task.task_s, 0.038);
  EXPECT_EQ(task.n, 1'000'000);
  // Without python3 there is no such row: nothing to size by.
  EXPECT_EQ(PythonTaskOf(section, "Python: threads", 2, 1'000'000).task_s, 0);
  // A parlab row of that label is not CPython's task.
  EXPECT_EQ(PythonTaskOf(section, "seq", 2, 1'000'000).task_s, 0);
}

TEST(TourGrainTest, TrialsFitTheBudgetBetweenTheirBounds) {
  EXPECT_EQ(TrialsWithin(2.0, 0.1, 5, 20), 20);  // 20 fit exactly
  EXPECT_EQ(TrialsWithin(2.0, 0.2, 5, 20), 10);
  EXPECT_EQ(TrialsWithin(2.0, 1.0, 5, 20), 5);  // never fewer than asked
  EXPECT_EQ(TrialsWithin(2.0, 0.0, 5, 20), 20);
}

TEST(TourGrainTest, TheLineNamesBothSizes) {
  pb::TourGrain grain;
  grain.set_experiment("pure CPU, loop ×2");
  grain.set_n(76'000'000);
  grain.set_notebook_n(1'000'000);
  grain.set_reason("why");
  EXPECT_EQ(GrainLine(grain),
            "pure CPU, loop ×2: n = 76,000,000 (the notebook's: 1,000,000) — why");
}

}  // namespace
}  // namespace parlab
