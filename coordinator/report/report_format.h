#pragma once
// How reports look: durations in adapted units, the run report, the compare
// table (JSON: json_output.h). Writes to the given stream; no global state.

#include <ostream>
#include <string>
#include <vector>

#include "coordinator/report/json_output.h"  // ToJson, for the callers that print both
#include "coordinator/report/table.h"
#include "proto/parlab.pb.h"

namespace parlab {

// 0.00253 -> "2.53 ms"; 3.2e-6 -> "3.20 µs"; 12.5 -> "12.5 s".
std::string FormatSeconds(double seconds);

void PrintRunReport(const pb::JobSummary& summary, std::ostream& out);
// The compare table; an "of ceiling" column when rows carry possible_speedup.
void PrintCompareTable(const std::vector<pb::JobSummary>& rows, std::ostream& out);
// The same rows for --markdown (formatted as the table) and --csv (plain
// numbers in seconds, µs and ratios, named by unit).
Table CompareTable(const std::vector<pb::JobSummary>& rows);
Table CompareCsvTable(const std::vector<pb::JobSummary>& rows);

}  // namespace parlab
