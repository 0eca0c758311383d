#include "coordinator/report/verdict.h"

#include <fmt/format.h>

#include <cmath>

namespace parlab {

Timing TimingOf(const pb::JobSummary& summary) {
  return {summary.wall_mean_s(), summary.wall_ci95_low_s(), summary.wall_ci95_high_s(),
          summary.wall_cv(), summary.trials()};
}

Timing TimingOf(const pb::TourRow& row) {
  // A row carries its spread as std_s; CV is derived the way Summarize does.
  const double cv = row.mean_s() != 0 ? row.std_s() / std::fabs(row.mean_s()) : 0;
  return {row.mean_s(), row.ci95_low_s(), row.ci95_high_s(), cv, row.trials()};
}

Order CompareTimings(const Timing& a, const Timing& b) {
  // One trial's interval collapses to its mean (stats.h): it would separate
  // from anything, so it must not be taken as evidence.
  if (a.trials < 2 || b.trials < 2) return Order::kUnclear;
  if (a.ci95_high_s < b.ci95_low_s) return Order::kFaster;
  if (a.ci95_low_s > b.ci95_high_s) return Order::kSlower;
  return Order::kUnclear;
}

namespace {

// "75%", "6.0%", "0.1%": a quiet figure's CV keeps a digit, so two quiet
// figures that still overlap do not read "CV 0% and 0%".
std::string Percent(double share) {
  return 100 * share < 10 ? fmt::format("{:.1f}%", 100 * share)
                          : fmt::format("{:.0f}%", 100 * share);
}

}  // namespace

std::string NotDistinguishable(const Timing& a, const Timing& b, std::string_view remedy) {
  std::string why;
  if (a.trials < 2 || b.trials < 2) {
    why = "1 trial: no spread to judge by";
  } else {
    why = "CV " + Percent(a.cv) + " and " + Percent(b.cv);
  }
  return fmt::format("not distinguishable here ({}): {}", why, remedy);
}

std::string SpeedupNote(const pb::JobSummary& row, const pb::JobSummary& seq,
                        std::string_view remedy) {
  if (row.mode() == seq.mode()) return "";
  const Timing a = TimingOf(row);
  const Timing b = TimingOf(seq);
  if (CompareTimings(a, b) != Order::kUnclear) return "";
  return fmt::format("its speedup of {:.2f}× against seq is {}", row.speedup(),
                     NotDistinguishable(a, b, remedy));
}

}  // namespace parlab
