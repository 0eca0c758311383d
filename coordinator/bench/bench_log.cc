#include "coordinator/bench/bench_log.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coordinator/observe/log_writer.h"
#include "coordinator/report/report_format.h"
#include "coordinator/report/table.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/stats.h"

namespace parlab {
namespace {

// One side of the comparison: a started job and the time its trials spent
// outside their wall (the log's writing, for the side that logs).
struct Side {
  std::unique_ptr<LogWriter> log;
  std::unique_ptr<JobSession> session;
  int64_t outside_ns = 0;
  int trials_run = 0;  // warmups included
};

pb::JobSpec BenchJob(const LogBenchOptions& o, pb::Mode mode) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("spin")->Defaults();
  job.mutable_kernel()->set_us(o.us);
  job.set_mode(mode);
  job.set_workers(o.workers);
  job.set_tasks(o.tasks);
  job.set_trials(o.trials);
  job.set_warmup(o.warmup);
  return job;
}

Result<pb::LogCost> MeasureMode(const LogBenchOptions& o, pb::Mode mode,
                                const std::string& log_path) {
  const pb::JobSpec job = BenchJob(o, mode);
  PARLAB_RETURN_IF_ERROR(ValidateJob(job));
  Side off, on;
  PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<LogWriter> writer, LogWriter::Open(log_path, job));
  on.log = std::move(writer);
  for (Side* side : {&off, &on}) {
    PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<JobSession> session,
                            JobSession::Start(job, side->log.get()));
    side->session = std::move(session);
  }
  // Alternate off and on, trial by trial; which goes first alternates too, so
  // neither always follows the other's log writing.
  for (int round = 0;; ++round) {
    bool any = false;
    Side* order[2] = {&off, &on};
    if (round % 2 == 1) std::swap(order[0], order[1]);
    for (Side* side : order) {
      const int64_t start_ns = NowNs();
      PARLAB_ASSIGN_OR_RETURN(bool ran, side->session->RunNextTrial());
      // Warmups run first; only measured trials count, whose walls are taken off below.
      if (ran && ++side->trials_run > o.warmup) side->outside_ns += NowNs() - start_ns;
      any = any || ran;
    }
    if (!any) break;
  }
  pb::LogCost row;
  row.set_mode(std::string(ModeName(mode)));
  row.set_workers(job.workers());
  row.set_us(o.us);
  row.set_tasks(job.tasks());
  row.set_trials(job.trials());
  row.set_target(kLogCostTarget);
  Summary walls[2];
  for (int s = 0; s < 2; ++s) {
    Side& side = s == 0 ? off : on;
    PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome, side.session->Finish());
    std::vector<double> wall_s;
    for (int64_t ns : outcome.trial_wall_ns) {
      wall_s.push_back(static_cast<double>(ns) * 1e-9);
      side.outside_ns -= ns;
    }
    walls[s] = Summarize(wall_s);
  }
  PARLAB_RETURN_IF_ERROR(on.log->Close());
  row.set_off_mean_s(walls[0].mean);
  row.set_off_std_s(walls[0].stddev);
  row.set_on_mean_s(walls[1].mean);
  row.set_on_std_s(walls[1].stddev);
  if (walls[0].mean > 0) row.set_ratio(walls[1].mean / walls[0].mean);
  // Both sides spend a little outside their walls; the difference is the writing.
  const int trials = std::max(1, on.trials_run - o.warmup);
  row.set_write_per_trial_s(static_cast<double>(on.outside_ns - off.outside_ns) / trials * 1e-9);
  std::error_code ignored;
  row.set_log_bytes(static_cast<int64_t>(std::filesystem::file_size(log_path, ignored)));
  return row;
}

void PrintRows(const pb::LogCostReport& report, std::ostream& out) {
  if (report.rows_size() == 0) return;
  const pb::LogCost& first = report.rows(0);
  out << fmt::format(
      "parlab bench log: spin {} µs tasks, {} per trial, {} trials of each side, "
      "log off and on alternating\n",
      first.us(), first.tasks(), first.trials());
  out << fmt::format("{:<8} {:>7} {:>24} {:>24} {:>9} {:>8} {:>16}\n", "mode", "workers",
                     "log off: wall ± std", "log on: wall ± std", "on/off", "target",
                     "write per trial");
  for (const pb::LogCost& r : report.rows()) {
    out << fmt::format(
        "{:<8} {:>7} {:>24} {:>24} {:>8.3f}× {:>7}  {:>16}  {}\n", r.mode(), r.workers(),
        FormatSeconds(r.off_mean_s()) + " ± " + FormatSeconds(r.off_std_s()),
        FormatSeconds(r.on_mean_s()) + " ± " + FormatSeconds(r.on_std_s()), r.ratio(),
        fmt::format("≤ {:.2f}", r.target()), FormatSeconds(r.write_per_trial_s()),
        r.ratio() <= r.target() ? "ok" : "above target");
  }
  out << "The log is written between trials, from the coordinator's loop: 'write per trial' is "
         "not in the walls.\nOn a loaded machine the ratio's noise (see ± std) can exceed the "
         "2% it is checked against.\n";
}

Table RowsTable(const pb::LogCostReport& report) {
  Table table;
  table.columns = {"mode",  "workers", "log off: wall", "± std",          "log on: wall",
                   "± std", "on/off",  "target",        "write per trial"};
  table.right_aligned = {false, true, true, true, true, true, true, true, true};
  for (const pb::LogCost& r : report.rows()) {
    table.rows.push_back({r.mode(), std::to_string(r.workers()), FormatSeconds(r.off_mean_s()),
                          FormatSeconds(r.off_std_s()), FormatSeconds(r.on_mean_s()),
                          FormatSeconds(r.on_std_s()), fmt::format("{:.3f}×", r.ratio()),
                          fmt::format("≤ {:.2f}", r.target()),
                          FormatSeconds(r.write_per_trial_s())});
  }
  return table;
}

// For --csv: every LogCost field, plain numbers.
Table RowsCsvTable(const pb::LogCostReport& report) {
  auto g = [](double v) { return fmt::format("{:.9g}", v); };
  Table table;
  table.columns = {"mode",       "workers",           "us",        "tasks",    "trials",
                   "off_mean_s", "off_std_s",         "on_mean_s", "on_std_s", "ratio",
                   "target",     "write_per_trial_s", "log_bytes"};
  for (const pb::LogCost& r : report.rows()) {
    table.rows.push_back({r.mode(), std::to_string(r.workers()), std::to_string(r.us()),
                          std::to_string(r.tasks()), std::to_string(r.trials()), g(r.off_mean_s()),
                          g(r.off_std_s()), g(r.on_mean_s()), g(r.on_std_s()), g(r.ratio()),
                          g(r.target()), g(r.write_per_trial_s()), std::to_string(r.log_bytes())});
  }
  return table;
}

}  // namespace

Status RunBenchLog(const LogBenchOptions& o) {
  PARLAB_ASSIGN_OR_RETURN(std::vector<pb::Mode> modes, ParseModeList(o.modes));
  for (pb::Mode mode : modes) {
    if (mode != pb::PROCS && mode != pb::THREADS) {
      return InvalidArgument("--modes: bench log measures procs and threads, got " +
                             std::string(ModeName(mode)));
    }
  }
  if (o.us < 0 || o.tasks < 1 || o.trials < 1 || o.warmup < 0 || o.workers < 1) {
    return InvalidArgument(
        "--us must be >= 0, --tasks, --trials and --workers >= 1, --warmup >= 0");
  }
  const bool temporary = o.log_path.empty();
  const std::string log_path = temporary ? (std::filesystem::temp_directory_path() /
                                            fmt::format("parlab-bench-log-{}.jsonl", getpid()))
                                               .string()
                                         : o.log_path;
  pb::LogCostReport report;
  Status failure;  // the rows measured before it are still printed
  for (pb::Mode mode : modes) {
    Result<pb::LogCost> row = MeasureMode(o, mode, log_path);
    if (!row.ok()) {
      failure = Status(row.status().code(), "bench log, mode " + std::string(ModeName(mode)) +
                                                ": " + row.status().message());
      break;
    }
    *report.add_rows() = std::move(row).value();
  }
  if (temporary) {
    std::error_code ignored;
    std::filesystem::remove(log_path, ignored);
  }
  if (o.json) {
    std::cout << ToJson(report) << "\n";
  } else if (o.markdown) {
    std::cout << MarkdownTable(RowsTable(report));
  } else if (o.csv) {
    std::cout << CsvTable(RowsCsvTable(report));
  } else {
    PrintRows(report, std::cout);
  }
  return failure;
}

}  // namespace parlab
