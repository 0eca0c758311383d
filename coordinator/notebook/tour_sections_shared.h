#pragma once
// What one group of tour sections lends another: the decision guide (13)
// measures the summary's workloads (12) and the vectorisation of next steps
// (14) itself when the tour did not run those sections. One thread.

#include <string>
#include <vector>

#include "coordinator/notebook/tour_grain.h"
#include "coordinator/notebook/tour_section.h"

namespace parlab {

// The summary's workloads, as rows labelled "<group>: <mode>" with speedups
// against "<group>: seq": the pure loop with n sized by time (tour_grain.h:
// at least `python`, the notebook's Python task timed here, and the floor
// over dispatch; its TourGrain recorded in `section`), the same loop at the
// notebook's n, matmul and sleep. Groups below.
Status MeasureSummaryRows(TourContext& context, pb::TourSection& section, const PythonTask& python);
inline constexpr const char* kSummaryLoop = "pure CPU, loop ×2";
inline constexpr const char* kSummaryLoopNotebookN = "pure CPU, loop ×2 at the notebook's n";
inline constexpr int64_t kSummaryNotebookN = 1'000'000;
inline constexpr const char* kSummaryMatmul = "matmul ×10";
inline constexpr const char* kSummarySleep = "I/O, sleep ×10";

// The loop as a scalar loop, then in Eigen's vectorised form: two rows, the
// second with its speedup against the first, labelled as below.
Result<std::vector<pb::TourRow>> MeasureVectorisation(const TourContext& context,
                                                      std::string* agreement);
inline constexpr const char* kScalarLoop = "scalar loop: total += i*i";
inline constexpr const char* kVectorisedLoop = "Eigen, vectorised: (i + base).square().sum()";

}  // namespace parlab
