#pragma once
// How reports look: durations in adapted units, the run report, the compare
// table, and JSON through Protobuf's own JSON printer (snake_case names,
// every field printed). Writes to the given stream; no global state.

#include <ostream>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// 0.00253 -> "2.53 ms"; 3.2e-6 -> "3.20 µs"; 12.5 -> "12.5 s".
std::string FormatSeconds(double seconds);

void PrintRunReport(const pb::JobSummary& summary, std::ostream& out);
void PrintCompareTable(const std::vector<pb::JobSummary>& rows, std::ostream& out);

// One JSON object (a message) or an array of them, each on its own line.
std::string ToJson(const google::protobuf::Message& message);
std::string ToJsonArray(const std::vector<pb::JobSummary>& rows);

}  // namespace parlab
