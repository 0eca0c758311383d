#pragma once
// How `parlab analyse` looks on a terminal: for one log the breakdown
// (totals and shares, phases, workers, a histogram, retried and failed tasks,
// the log's problems go to PrintProblems); for several logs one column per log. Formatting only:
// the numbers come from log_analysis.h. Writes to the given stream.

#include <ostream>
#include <string>
#include <vector>

#include "coordinator/report/table.h"
#include "proto/parlab.pb.h"

namespace parlab {

struct ReportStyle {
  bool unicode = true;  // block characters for bars; '#' otherwise
  int bar_width = 40;   // characters of the longest histogram bar
};

void PrintAnalysis(const pb::LogAnalysis& analysis, const ReportStyle& style, std::ostream& out);
void PrintAnalysisColumns(const std::vector<pb::LogAnalysis>& logs, std::ostream& out);

// The rows for --csv (report/table.h), one per log × worker × phase: log
// (its path), worker ("all" for the whole log, else the worker's index),
// tasks, phase, p50_us, p90_us, p99_us, max_us, mean_us, total_s. A log of
// command tasks adds its command phases (spawn, exec, ...) as worker "all".
Table AnalysisCsvTable(const std::vector<pb::LogAnalysis>& logs);

// The log's problems, one "warning: path:line: message" line each.
void PrintProblems(const pb::LogAnalysis& analysis, std::ostream& out);

// A bar of `fraction` (0..1) of `width` characters, with eighths in unicode.
std::string Bar(double fraction, int width, bool unicode);

}  // namespace parlab
