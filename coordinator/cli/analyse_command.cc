#include "coordinator/cli/analyse_command.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/cli/format_flags.h"
#include "coordinator/observe/analysis_report.h"
#include "coordinator/observe/log_analysis.h"
#include "coordinator/observe/log_reader.h"
#include "coordinator/observe/trace_writer.h"
#include "coordinator/report/report_format.h"

namespace parlab {
namespace {

struct AnalyseOptions {
  explicit AnalyseOptions(CLI::App& app) {
    app.add_option("logs", paths,
                   "logs written by `parlab run --log`; several are shown side by side")
        ->required();
    AddFormatFlags(app, FormatFlags::Json(&json, "AnalysisReport")
                            .Csv(&csv, "a row per log, worker and phase (percentiles in µs)"));
    app.add_flag("--warmup", options.include_warmup,
                 "analyse the warmup trials too (left out by default)");
    app.add_option("--trace", trace_path,
                   "also write the records as a Chrome trace (Perfetto, chrome://tracing); "
                   "one log only");
    app.add_option("--trace-tasks", trace.max_tasks,
                   "tasks written to the trace at most, the first ones; 0 = all")
        ->capture_default_str();
    app.add_flag("--ascii", ascii, "draw the histogram with '#' instead of block characters");
  }
  std::vector<std::string> paths;
  bool json = false;
  bool csv = false;
  bool ascii = false;
  AnalysisOptions options;
  std::string trace_path;
  TraceOptions trace;
};

int RunAnalyse(AnalyseOptions& o) {
  if (!o.trace_path.empty() && o.paths.size() != 1) {
    return ReportError(
        InvalidArgument("--trace takes one log, got " + std::to_string(o.paths.size())));
  }
  if (o.trace.max_tasks < 0) {
    return ReportError(InvalidArgument("--trace-tasks must be 0 (all) or more, got " +
                                       std::to_string(o.trace.max_tasks)));
  }
  std::vector<pb::LogAnalysis> analyses;
  for (const std::string& path : o.paths) {
    Result<LogContents> log = ReadLog(path);
    if (!log.ok()) return ReportError(log.status());
    pb::LogAnalysis analysis = AnalyseLog(*log, o.options);
    PrintProblems(analysis, std::cerr);
    if (analysis.measured_tasks() == 0) {
      return ReportError(InvalidArgument(
          path + ": no task records to analyse" +
          (analysis.warmup_skipped() > 0 ? " (only warmup records: try --warmup)" : "")));
    }
    if (!o.trace_path.empty()) {
      o.trace.source = path;
      const pb::JobSpec job = log->header ? log->header->job() : pb::JobSpec();
      Status written =
          WriteTrace(o.trace_path, job, SelectRecords(log->records, o.options), o.trace);
      if (!written.ok()) return ReportError(written);
    }
    analyses.push_back(std::move(analysis));
  }
  if (o.json) {
    pb::AnalysisReport report;
    for (pb::LogAnalysis& a : analyses) *report.add_logs() = std::move(a);
    std::cout << ToJson(report) << "\n";
  } else if (o.csv) {
    std::cout << CsvTable(AnalysisCsvTable(analyses));
  } else if (analyses.size() == 1) {
    ReportStyle style;
    style.unicode = !o.ascii;
    PrintAnalysis(analyses.front(), style, std::cout);
  } else {
    PrintAnalysisColumns(analyses, std::cout);
  }
  if (!o.trace_path.empty() && !o.json && !o.csv)
    std::cout << "trace written to " << o.trace_path << "\n";
  return kExitOk;
}

}  // namespace

Command AddAnalyseCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "analyse",
      "Where a logged run's time went: wall, compute and IPC time, each phase's percentiles\n"
      "per task and per worker, a histogram of the overhead, retried and failed tasks.\n"
      "Several logs print side by side (shm vs uds, 1 worker vs 4).");
  sub->alias("analyze");
  auto options = std::make_shared<AnalyseOptions>(*sub);
  return {sub, [options]() { return RunAnalyse(*options); }};
}

}  // namespace parlab
