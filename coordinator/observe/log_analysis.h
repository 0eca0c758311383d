#pragma once
// The numbers of `parlab analyse`: from a log's records, where the time went —
// wall, compute and IPC time with their shares, each phase's percentiles per
// task (shared/phases.h), the same per worker, a log-scale histogram of the
// per-task overhead, and the tasks that were retried or failed. Computation
// only (analysis_report.h prints it); pure functions, safe from any thread.

#include <cstdint>
#include <vector>

#include "coordinator/observe/log_reader.h"
#include "proto/parlab.pb.h"

namespace parlab {

struct AnalysisOptions {
  bool include_warmup = false;  // analyse warmup trials (trial < 0) too
};

// How many retried or failed tasks are listed by id (all are counted).
inline constexpr int kMaxIssuesListed = 20;

// The records an analysis or a trace looks at: measured trials only, unless
// `include_warmup`. Order kept.
std::vector<TaskRecord> SelectRecords(const std::vector<TaskRecord>& records,
                                      const AnalysisOptions& options);

pb::LogAnalysis AnalyseLog(const LogContents& log, const AnalysisOptions& options);

// Percentiles (numpy's linear method, shared/stats.h), max, mean and total of
// `values_ns`, which it sorts.
pb::PhaseStats PhaseStatsOf(const char* phase, std::vector<double>& values_ns);

// Bins of a 1-2-5 series (1, 2, 5, 10, 20 ... µs) from the one at or below
// the smallest value to the one above the largest; values at or below 10 ns
// fall in the first bin, whose low edge is then 0.
std::vector<pb::HistogramBin> LogHistogram(const std::vector<double>& values_us);

}  // namespace parlab
