#include "coordinator/report/verdict.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

Timing Figure(double low_s, double high_s, int64_t trials = 5, double cv = 0.02) {
  return {(low_s + high_s) / 2, low_s, high_s, cv, trials};
}

TEST(VerdictTest, SeparateIntervalsOrderTheTimings) {
  const Timing fast = Figure(0.9, 1.0);
  const Timing slow = Figure(1.1, 1.2);
  EXPECT_EQ(CompareTimings(fast, slow), Order::kFaster);
  EXPECT_EQ(CompareTimings(slow, fast), Order::kSlower);
}

TEST(VerdictTest, OverlappingIntervalsDecideNothing) {
  // The case: threads 2.62 ms ± a wide interval against seq 1.11 ms.
  const Timing threads = Figure(0.5e-3, 4.7e-3, 3, 0.75);
  const Timing seq = Figure(1.05e-3, 1.17e-3, 3, 0.06);
  EXPECT_EQ(CompareTimings(threads, seq), Order::kUnclear);
  EXPECT_EQ(CompareTimings(seq, threads), Order::kUnclear);
  EXPECT_EQ(CompareTimings(Figure(1.0, 1.1), Figure(1.1, 1.2)), Order::kUnclear);  // touching
}

TEST(VerdictTest, OneTrialIsNeverEvidence) {
  // Its interval collapses to the mean, which would separate from anything.
  const Timing one = {1.0, 1.0, 1.0, 0, 1};
  EXPECT_EQ(CompareTimings(one, Figure(2.0, 2.1)), Order::kUnclear);
  EXPECT_EQ(CompareTimings(Figure(2.0, 2.1), one), Order::kUnclear);
  EXPECT_EQ(NotDistinguishable(one, Figure(2.0, 2.1), kTrialsRemedy),
            "not distinguishable here (1 trial: no spread to judge by): rerun with more --trials "
            "or on a quieter machine");
}

TEST(VerdictTest, TheWithheldVerdictNamesTheNoise) {
  EXPECT_EQ(NotDistinguishable(Figure(0.5, 4.7, 3, 0.75), Figure(1.0, 1.2, 3, 0.06), kQuickRemedy),
            "not distinguishable here (CV 75% and 6.0%): rerun without --quick or on a quieter "
            "machine");
}

TEST(VerdictTest, TimingsComeFromSummariesAndRows) {
  pb::JobSummary summary;
  summary.set_wall_mean_s(2);
  summary.set_wall_ci95_low_s(1.5);
  summary.set_wall_ci95_high_s(2.5);
  summary.set_wall_cv(0.1);
  summary.set_trials(4);
  const Timing from_summary = TimingOf(summary);
  EXPECT_EQ(from_summary.ci95_low_s, 1.5);
  EXPECT_EQ(from_summary.ci95_high_s, 2.5);
  EXPECT_EQ(from_summary.trials, 4);
  pb::TourRow row;
  row.set_mean_s(2);
  row.set_std_s(0.5);
  row.set_ci95_low_s(1.5);
  row.set_ci95_high_s(2.5);
  row.set_trials(4);
  EXPECT_DOUBLE_EQ(TimingOf(row).cv, 0.25);
  EXPECT_EQ(TimingOf(row).trials, 4);
}

pb::JobSummary Summary(const std::string& mode, double low_s, double high_s, double speedup) {
  pb::JobSummary summary;
  summary.set_mode(mode);
  summary.set_wall_mean_s((low_s + high_s) / 2);
  summary.set_wall_ci95_low_s(low_s);
  summary.set_wall_ci95_high_s(high_s);
  summary.set_wall_cv(0.08);
  summary.set_trials(5);
  summary.set_speedup(speedup);
  return summary;
}

TEST(VerdictTest, ASpeedupInsideTheNoiseGetsANote) {
  const pb::JobSummary seq = Summary("seq", 0.9, 1.1, 1);
  EXPECT_EQ(
      SpeedupNote(Summary("procs", 0.85, 1.05, 1.05), seq, kTrialsRemedy),
      "its speedup of 1.05× against seq is not distinguishable here (CV 8.0% and 8.0%): rerun "
      "with more --trials or on a quieter machine");
  EXPECT_EQ(SpeedupNote(Summary("procs", 0.4, 0.6, 2), seq, kTrialsRemedy), "");
  EXPECT_EQ(SpeedupNote(seq, seq, kTrialsRemedy), "");
}

}  // namespace
}  // namespace parlab
