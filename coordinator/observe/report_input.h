#pragma once
// What `parlab report` reads: each input file is one of a log (`--log
// run.jsonl`), or the `--json` output of `parlab run`, `compare`, `sweep` or
// `analyse`. The kind is found from the content, not the file's name, and an
// input that is none of them is an error that says what each kind looks like.
// Inputs are untrusted: nothing in them makes this crash. Pure parsing plus a
// file read; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "coordinator/observe/log_reader.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

enum class ReportKind { kLog, kRun, kCompare, kSweep, kAnalysis };

// "log", "run", "compare", "sweep", "analyse".
std::string_view ReportKindName(ReportKind kind);

struct ReportInput {
  std::string path;
  ReportKind kind = ReportKind::kLog;
  LogContents log;                        // kLog: the records, header and problems
  pb::LogAnalysis analysis;               // kLog: AnalyseLog of it (measured trials)
  std::vector<pb::JobSummary> summaries;  // kRun: one; kCompare: a row per mode
  pb::SweepReport sweep;                  // kSweep
  pb::AnalysisReport analyses;            // kAnalysis
};

// Detects the kind of `text` and parses it. A log: its first line is a
// LogHeader (or a TaskRecord: a log without header). JSON: an array of
// JobSummary (compare), or an object with "series" (sweep), "logs" (analyse),
// "rows" (compare) or "wall_mean_s" (run). Errors are kInvalidArgument and
// start with `path`.
Result<ReportInput> ParseReportInput(std::string_view text, const std::string& path);

// Reads `path` (at most kMaxReportInputBytes) and parses it.
Result<ReportInput> ReadReportInput(const std::string& path);
inline constexpr size_t kMaxReportInputBytes = size_t{1} << 30;

}  // namespace parlab
