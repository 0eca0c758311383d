#pragma once
// The verdicts of the tour's summary (12) and decision guide (13), drawn
// from their measured rows ("<group>: <mode>", speedups against
// "<group>: seq") only where the figures carry them: every comparison of two
// modes goes through report/verdict.h's one rule, and a group whose task is
// shorter than the floor below which dispatch, not the modes, decides
// (runtime/task_grain.h) gets no verdict at all, but a sentence saying so.
// Pure functions of the rows; one thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// "<group>: <mode>", the label of a summary row.
std::string SummaryLabel(const std::string& group, pb::Mode mode);
const pb::TourRow* FindRow(const pb::TourSection& section, const std::string& label);
const pb::TourGrain* FindGrain(const pb::TourSection& section, const std::string& experiment);

// Tasks per trial of a summary group (MeasureSummaryRows runs them).
int64_t SummaryTasks(const std::string& group);

// Set when the group's task (its seq row's trial over SummaryTasks) is under
// the floor: for the pure loops the grain's floor (kMinGrainS and 100×
// dispatch), for other work 100× the dispatch measured for the loop (its
// share of a task then stays ≤ 1%). "matmul ×10: a task lasts 0.52 ms, under
// the 4.5 ms that dispatch (45.0 µs) decides below: no verdict".
std::optional<std::string> UnderFloor(const pb::TourSection& section, const std::string& group);

// "<group>: fastest mode procs at 1.93× seq's speed", "<group>: no mode beat
// seq ...", or the rule's withheld verdict; "" when the group has no rows.
std::string GroupConclusion(const pb::TourSection& section, const std::string& group,
                            std::string_view remedy);

// "blas 1.85× against seq; fastest measured: procs 1.90× — the guide's
// choice holds here" (or is NOT the fastest, or is withheld). Copies the
// candidates' rows into `out`.
std::string JudgeGuide(const pb::TourSection& rows, const std::string& group, pb::Mode advised,
                       const std::vector<pb::Mode>& candidates, std::string_view remedy,
                       pb::TourSection& out);

}  // namespace parlab
