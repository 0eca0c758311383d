#include "coordinator/cli/sweep_command.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "coordinator/cli/job_flags.h"
#include "coordinator/observe/gnuplot.h"
#include "coordinator/observe/sweep_analysis.h"
#include "coordinator/observe/sweep_plan.h"
#include "coordinator/observe/sweep_plot.h"
#include "coordinator/observe/sweep_report.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {
namespace {

struct SweepOptions {
  explicit SweepOptions(CLI::App& app) : flags(app, /*with_mode=*/false, /*with_workers=*/false) {
    app.add_option("--workers,-w", workers,
                   "worker counts to sweep, e.g. 1,2,4,8; counts above the usable cores run "
                   "and are marked oversubscribed")
        ->capture_default_str();
    app.add_option("--modes", modes,
                   "modes to scale (threads, gil, procs, blas, hybrid); seq is always measured "
                   "once as the reference")
        ->capture_default_str();
    app.add_flag("--csv", csv, "print CSV instead of a table");
    app.add_option("--plot", plot,
                   "write speedup against workers to a .png or .svg file (gnuplot; without "
                   "gnuplot a text chart is printed instead)");
    app.add_flag("--chart", chart, "also print the speedup chart as text");
  }
  JobFlags flags;
  std::string workers = "1,2,4,8";
  std::string modes = "threads,gil,procs";
  bool csv = false;
  std::string plot;
  bool chart = false;
};

// The jobs of one worker count: every mode at that count.
struct Group {
  std::vector<pb::JobSpec> jobs;
};

Result<pb::SweepReport> RunSweep(const pb::JobSpec& base, const std::vector<Group>& groups,
                                 int usable_cores) {
  const int rounds = base.warmup() + base.trials();
  // seq runs a trial in every round of every group, so its trials spread over
  // the whole sweep and the reference sees the same machine as every point.
  pb::JobSpec seq = SweepJob(base, pb::SEQ, 1, usable_cores, false);
  seq.set_trials(static_cast<int32_t>(groups.size()) * rounds - base.warmup());
  PARLAB_RETURN_IF_ERROR(ValidateJob(seq));

  int64_t total_tasks = JobTaskCount(seq);
  for (const Group& group : groups) {
    for (const pb::JobSpec& job : group.jobs) total_tasks += JobTaskCount(job);
  }
  std::unique_ptr<Progress> progress = Progress::OnStderr(total_tasks);
  Result<std::unique_ptr<JobSession>> reference = JobSession::Start(seq, nullptr);
  if (!reference.ok()) return reference.status();

  // Compare starts every job before the first trial. A sweep does that per
  // worker count, not for the whole sweep: 1,2,4,8,16,32 workers × three
  // modes would otherwise hold 189 threads and processes (and a shared-memory
  // segment per procs job) idle at once, and the idle ones still cost the
  // running ones memory and scheduler time. Within a worker count the modes
  // and seq take turns trial by trial, as in compare.
  std::vector<SweepMeasurement> measurements;
  for (const Group& group : groups) {
    std::vector<std::unique_ptr<JobSession>> sessions;
    std::vector<Turn> turns = {{reference->get(), "seq (reference)", seq.tasks()}};
    for (const pb::JobSpec& job : group.jobs) {
      progress->SetStage("starting " + JobLabel(job));
      Result<std::unique_ptr<JobSession>> session = JobSession::Start(job, nullptr);
      if (!session.ok()) {
        progress->Clear();
        return Status(session.status().code(), JobLabel(job) + ": " + session.status().message());
      }
      sessions.push_back(std::move(session).value());
      turns.push_back({sessions.back().get(), JobLabel(job), job.tasks()});
    }
    PARLAB_RETURN_IF_ERROR(RunInTurns(turns, rounds, progress.get()));
    for (size_t i = 0; i < sessions.size(); ++i) {
      const pb::JobSpec& job = group.jobs[i];
      Result<JobOutcome> outcome = sessions[i]->Finish();
      if (!outcome.ok()) {
        progress->Clear();
        return Status(outcome.status().code(), JobLabel(job) + ": " + outcome.status().message());
      }
      measurements.push_back({std::string(ModeName(job.mode())), job.workers(), ParallelUnits(job),
                              SummarizeJob(*outcome, usable_cores)});
    }
  }
  progress->Clear();
  Result<JobOutcome> seq_outcome = (*reference)->Finish();
  if (!seq_outcome.ok()) {
    return Status(seq_outcome.status().code(), "seq: " + seq_outcome.status().message());
  }
  return BuildSweepReport(SummarizeJob(*seq_outcome, usable_cores), measurements, usable_cores);
}

int Sweep(const SweepOptions& options) {
  // Everything the user typed is checked before anything runs.
  if (options.csv && options.flags.json()) {
    return ReportError(InvalidArgument("--csv and --json: choose one"));
  }
  Result<std::vector<int>> workers = ParseWorkerList(options.workers);
  if (!workers.ok()) return ReportError(workers.status());
  Result<std::vector<pb::Mode>> modes = ParseSweepModes(options.modes);
  if (!modes.ok()) return ReportError(modes.status());
  std::optional<PlotFormat> plot_format;
  if (!options.plot.empty()) {
    Result<PlotFormat> format = CheckPlotPath(options.plot);
    if (!format.ok()) return ReportError(format.status());
    plot_format = *format;
  }
  Result<pb::JobSpec> base = options.flags.MakeJob();
  if (!base.ok()) return ReportError(base.status());
  const int cores = UsableCores();

  std::vector<Group> groups;
  int widest = 1;
  for (int count : *workers) {
    Group group;
    for (pb::Mode mode : *modes) {
      group.jobs.push_back(SweepJob(*base, mode, count, cores, options.flags.threads_given()));
      widest = std::max(widest, ParallelUnits(group.jobs.back()));
    }
    groups.push_back(std::move(group));
  }
  if (base->tasks() == 0) {
    // A seq trial of about 0.1 s per core the sweep can use, so the fastest
    // point still runs about 0.1 s per trial; past the cores nothing runs
    // faster, so oversubscribed counts do not make every trial longer.
    pb::JobSpec seq = SweepJob(*base, pb::SEQ, workers->back(), cores, false);
    Result<int64_t> tasks = CalibrateTasks(seq, 0.1 * std::min(widest, cores));
    if (!tasks.ok()) return ReportError(tasks.status());
    base->set_tasks(*tasks);
    for (Group& group : groups) {
      for (pb::JobSpec& job : group.jobs) job.set_tasks(*tasks);
    }
  }
  for (const Group& group : groups) {
    for (const pb::JobSpec& job : group.jobs) {
      if (Status s = ValidateJob(job); !s.ok()) {
        return ReportError(Status(s.code(), JobLabel(job) + ": " + s.message()));
      }
    }
  }

  Result<pb::SweepReport> report = RunSweep(*base, groups, cores);
  if (!report.ok()) return ReportError(report.status());
  const bool table = !options.csv && !options.flags.json();
  if (options.flags.json()) {
    std::cout << ToJson(*report) << "\n";
  } else if (options.csv) {
    PrintSweepCsv(*report, std::cout);
  } else {
    PrintSweepTable(*report, std::cout);
  }
  // The chart goes with the table; next to CSV or JSON it goes to stderr,
  // which keeps stdout machine-readable.
  std::ostream& chart_out = table ? std::cout : std::cerr;
  if (options.chart) chart_out << "\n" << TerminalChart(*report);
  if (plot_format.has_value()) {
    const std::optional<std::string> gnuplot = FindGnuplot();
    if (!gnuplot.has_value()) {
      if (!options.chart) chart_out << "\n" << TerminalChart(*report);
      std::cerr << "parlab: warning: gnuplot is not installed, so " << options.plot
                << " was not written; the chart above is its text version "
                   "(scripts/setup.sh installs gnuplot-nox)\n";
      return kExitOk;
    }
    Status drawn =
        RunGnuplot(*gnuplot, GnuplotScript(*report, options.plot, *plot_format), options.plot);
    if (!drawn.ok()) return ReportError(drawn);
    std::cerr << "parlab: wrote " << options.plot << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddSweepCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "sweep",
      "Scale worker counts in several modes: speedup, efficiency, Karp-Flatt serial fraction, "
      "an Amdahl fit, a plot");
  auto options = std::make_shared<SweepOptions>(*sub);
  return {sub, [options]() { return Sweep(*options); }};
}

}  // namespace parlab
