#pragma once
// Whether two timings can carry a verdict ("procs is faster than seq"): the
// one rule every verdict about modes goes through (the tour's conclusions,
// `advise`, and the notes of `compare` and `sweep`), so that none is drawn
// from figures noisier than the difference they claim.
//
// The rule: each figure is a mean over trials with its 95% confidence
// interval (shared/stats.h, Student's t); a is faster than b only when a's
// whole interval lies below b's, slower only when above. Intervals that
// overlap — or a figure of fewer than 2 trials, which has no spread to judge
// by — decide nothing. Non-overlap of two 95% intervals is a stricter test
// than a two-sample t-test at 5% (it rejects at about 0.6% for equal
// spreads): a verdict printed is one a rerun would very likely repeat.
//
// Pure functions; safe from any thread.

#include <cstdint>
#include <string>
#include <string_view>

#include "proto/parlab.pb.h"

namespace parlab {

// One figure: seconds per trial over `trials` trials.
struct Timing {
  double mean_s = 0;
  double ci95_low_s = 0;
  double ci95_high_s = 0;
  double cv = 0;  // stddev / mean
  int64_t trials = 0;
};

Timing TimingOf(const pb::JobSummary& summary);
Timing TimingOf(const pb::TourRow& row);

enum class Order {
  kFaster,   // a's interval lies wholly below b's: a takes less time
  kSlower,   // wholly above
  kUnclear,  // they overlap, or either has fewer than 2 trials
};

// a against b.
Order CompareTimings(const Timing& a, const Timing& b);

// What to print instead of a verdict when CompareTimings is kUnclear:
// "not distinguishable here (CV 75% and 6.0%): rerun without --quick or on a
// quieter machine". `remedy` is what the user can do (kQuickRemedy in the
// tour, kTrialsRemedy where --trials is a flag).
std::string NotDistinguishable(const Timing& a, const Timing& b, std::string_view remedy);

// The note a row's speedup against seq gets when the rule cannot tell the two
// apart ("its speedup of 1.05× against seq is not distinguishable here (CV 8%
// and 3%): ..."); "" when it can, or for seq itself (same mode).
std::string SpeedupNote(const pb::JobSummary& row, const pb::JobSummary& seq,
                        std::string_view remedy);

inline constexpr std::string_view kQuickRemedy = "rerun without --quick or on a quieter machine";
inline constexpr std::string_view kQuietRemedy = "rerun on a quieter machine";
inline constexpr std::string_view kTrialsRemedy =
    "rerun with more --trials or on a quieter machine";

}  // namespace parlab
