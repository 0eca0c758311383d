#include "coordinator/notebook/tour_verdict.h"

#include <fmt/format.h>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_sections_shared.h"
#include "coordinator/report/report_format.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/task_grain.h"

namespace parlab {
namespace {

// A speedup below this is no win worth a mode's start-up, even when the
// intervals separate it from seq.
constexpr double kWinningSpeedup = 1.1;
// The guide's choice "holds" when it reaches this share of the fastest.
constexpr double kAgreeingShare = 0.85;

bool IsLoopGroup(const std::string& group) {
  return group == kSummaryLoop || group == kSummaryLoopNotebookN;
}

// The group's fastest row with a speedup (every mode but seq), or null.
const pb::TourRow* Best(const pb::TourSection& section, const std::string& group,
                        const pb::TourRow* except = nullptr) {
  const pb::TourRow* best = nullptr;
  for (const pb::TourRow& row : section.rows()) {
    if (&row == except || row.label().rfind(group + ":", 0) != 0 || row.reference().empty()) {
      continue;
    }
    if (best == nullptr || row.speedup() > best->speedup()) best = &row;
  }
  return best;
}

}  // namespace

std::string SummaryLabel(const std::string& group, pb::Mode mode) {
  return group + ": " + std::string(ModeName(mode));
}

const pb::TourRow* FindRow(const pb::TourSection& section, const std::string& label) {
  for (const pb::TourRow& row : section.rows()) {
    if (row.label() == label) return &row;
  }
  return nullptr;
}

const pb::TourGrain* FindGrain(const pb::TourSection& section, const std::string& experiment) {
  for (const pb::TourGrain& grain : section.grains()) {
    if (grain.experiment() == experiment) return &grain;
  }
  return nullptr;
}

int64_t SummaryTasks(const std::string& group) { return IsLoopGroup(group) ? 2 : 10; }

std::optional<std::string> UnderFloor(const pb::TourSection& section, const std::string& group) {
  const pb::TourRow* seq = FindRow(section, SummaryLabel(group, pb::SEQ));
  const pb::TourGrain* grain = FindGrain(section, kSummaryLoop);
  if (seq == nullptr) return std::nullopt;
  const double dispatch_s = grain != nullptr ? grain->dispatch_s() : 0;
  const double floor_s = IsLoopGroup(group) ? GrainFloor(dispatch_s) : kDispatchFactor * dispatch_s;
  const double task_s = seq->mean_s() / static_cast<double>(SummaryTasks(group));
  if (task_s >= floor_s) return std::nullopt;
  return fmt::format(
      "{}: a task lasts {}, under the {} below which dispatch ({} a task), not the modes, "
      "decides: no verdict",
      group, FormatSeconds(task_s), FormatSeconds(floor_s), FormatSeconds(dispatch_s));
}

std::string GroupConclusion(const pb::TourSection& section, const std::string& group,
                            std::string_view remedy) {
  const pb::TourRow* best = Best(section, group);
  const pb::TourRow* seq = FindRow(section, SummaryLabel(group, pb::SEQ));
  if (best == nullptr || seq == nullptr) return "";
  if (std::optional<std::string> under = UnderFloor(section, group)) return *under;
  const Order order = CompareTimings(TimingOf(*best), TimingOf(*seq));
  if (order == Order::kUnclear) {
    return fmt::format("{}: the best, {} at {} seq's speed, is {}", group, best->mode(),
                       Times(best->speedup()),
                       NotDistinguishable(TimingOf(*best), TimingOf(*seq), remedy));
  }
  if (order == Order::kSlower || best->speedup() < kWinningSpeedup) {
    return fmt::format("{}: no mode beat seq (the best, {}, ran at {} its speed)", group,
                       best->mode(), Times(best->speedup()));
  }
  std::string conclusion = fmt::format("{}: fastest mode {} at {} seq's speed", group, best->mode(),
                                       Times(best->speedup()));
  const pb::TourRow* second = Best(section, group, best);
  if (second != nullptr && second->speedup() >= kWinningSpeedup &&
      CompareTimings(TimingOf(*second), TimingOf(*best)) == Order::kUnclear) {
    conclusion += fmt::format("; {} at {} is {}", second->mode(), Times(second->speedup()),
                              NotDistinguishable(TimingOf(*second), TimingOf(*best), remedy));
  }
  return conclusion;
}

std::string JudgeGuide(const pb::TourSection& rows, const std::string& group, pb::Mode advised,
                       const std::vector<pb::Mode>& candidates, std::string_view remedy,
                       pb::TourSection& out) {
  const pb::TourRow* chosen = FindRow(rows, SummaryLabel(group, advised));
  const pb::TourRow* seq = FindRow(rows, SummaryLabel(group, pb::SEQ));
  const pb::TourRow* best = nullptr;
  for (pb::Mode mode : candidates) {
    const pb::TourRow* row = FindRow(rows, SummaryLabel(group, mode));
    if (row == nullptr) continue;
    *out.add_rows() = *row;
    if (best == nullptr || row->speedup() > best->speedup()) best = row;
  }
  if (chosen == nullptr || best == nullptr || seq == nullptr) return "not measured";
  // seq carries no speedup (0): it is "best" only when nothing ran.
  const Order best_vs_seq =
      best == seq ? Order::kSlower : CompareTimings(TimingOf(*best), TimingOf(*seq));
  std::string verdict;
  if (std::optional<std::string> under = UnderFloor(rows, group)) {
    verdict = "the guide is not tested: " + *under;
  } else if (best_vs_seq == Order::kUnclear) {
    verdict =
        "the fastest against seq is " + NotDistinguishable(TimingOf(*best), TimingOf(*seq), remedy);
  } else if (best_vs_seq == Order::kSlower || best->speedup() < kWinningSpeedup) {
    verdict = "no parallel mode beat seq here: the guide is not tested";
  } else if (chosen->speedup() >= kAgreeingShare * best->speedup()) {
    verdict = CompareTimings(TimingOf(*chosen), TimingOf(*seq)) == Order::kFaster
                  ? "the guide's choice holds here"
                  : "the guide's choice against seq is " +
                        NotDistinguishable(TimingOf(*chosen), TimingOf(*seq), remedy);
  } else {
    verdict = CompareTimings(TimingOf(*chosen), TimingOf(*best)) == Order::kSlower
                  ? "the guide's choice is NOT the fastest here"
                  : "the guide's choice against the fastest is " +
                        NotDistinguishable(TimingOf(*chosen), TimingOf(*best), remedy);
  }
  return fmt::format("{} {} against seq; fastest measured: {} {} — {}", chosen->mode(),
                     Times(chosen->speedup()), best->mode(), Times(best->speedup()), verdict);
}

}  // namespace parlab
