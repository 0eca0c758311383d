#pragma once
// The HTML tables of `parlab report` (report_page.h): the summary table of
// runs and compare rows, of a sweep's points, and of logs side by side, plus
// lists of warnings and failed tasks. Every string from data is escaped.
// Pure; safe from any thread.

#include <string>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// One row per summary: mode, workers × threads, wall mean ± std, CV,
// speedup, efficiency, tasks/s, overhead median and p99, IPC share, retried
// and failed, checksum.
std::string SummaryTable(const std::vector<pb::JobSummary>& rows);

// The sweep's reference, then every point of every series, then the Amdahl
// fit of each series.
std::string SweepTable(const pb::SweepReport& sweep);

// One row per log: path, mode, workers, tasks, wall, compute, IPC share,
// utilisation, overhead p50/p99, retried and failed.
std::string LogTable(const std::vector<pb::LogAnalysis>& logs);

// A <ul> of the lines, or "" when there are none. `css_class` is ours.
std::string ListOf(const std::vector<std::string>& lines, const char* css_class);

// The retried and failed tasks of the logs with their errors, or "".
std::string TaskIssueTable(const std::vector<pb::LogAnalysis>& logs);

// Parallel units of a summary's row: 1 for seq, threads for blas, workers ×
// threads for hybrid, workers otherwise (runtime/job_spec.h ParallelUnits).
int SummaryParallelUnits(const pb::JobSummary& summary);

}  // namespace parlab
