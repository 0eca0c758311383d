#include "coordinator/cli/sweep_command.h"

#include <iostream>
#include <memory>
#include <optional>

#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/job_flags.h"
#include "coordinator/cli/mpi_run.h"
#include "coordinator/observe/gnuplot.h"
#include "coordinator/observe/sweep_analysis.h"
#include "coordinator/observe/sweep_plan.h"
#include "coordinator/observe/sweep_plot.h"
#include "coordinator/observe/sweep_report.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/study.h"

namespace parlab {
namespace {

struct SweepOptions {
  explicit SweepOptions(CLI::App& app)
      : flags(app, "SweepReport", /*with_mode=*/false, /*with_workers=*/false) {
    app.add_option("--workers,-w", workers,
                   "worker counts to sweep, e.g. 1,2,4,8; counts above the usable cores run "
                   "and are marked oversubscribed")
        ->capture_default_str();
    app.add_option("--modes", modes,
                   "modes to scale (threads, gil, procs, blas, hybrid); seq is always measured "
                   "once as the reference")
        ->capture_default_str();
    // --json is JobFlags'.
    AddFormatFlags(app, FormatFlags().Markdown(&markdown).Csv(
                            &csv, "a row per mode and worker count (plain numbers)"));
    app.add_option("--plot", plot,
                   "write speedup against workers to a .png or .svg file (gnuplot; without "
                   "gnuplot a text chart is printed instead)");
    app.add_flag("--chart", chart, "also print the speedup chart as text");
  }
  JobFlags flags;
  std::string workers = "1,2,4,8";
  std::string modes = "threads,gil,procs";
  bool csv = false;
  bool markdown = false;
  std::string plot;
  bool chart = false;
};

int Sweep(const SweepOptions& options) {
  // Everything the user typed is checked before anything runs.
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
  if (base->transport() == pb::MPI) {
    // Under `mpirun -n N parlab sweep ... --transport mpi` ranks above 0 are
    // the workers of every job of the sweep (--workers counts ranks, up to N-1).
    if (std::optional<int> code = BecomeMpiWorkerOnRanksAboveZero(base->wait())) return *code;
  }
  const int cores = UsableCores();

  StudyOptions run;
  if (base->tasks() == 0) {
    // A seq trial of about 0.1 s per core the sweep can use, so the fastest
    // point still runs about 0.1 s per trial; past the cores nothing runs
    // faster, so oversubscribed counts do not make every trial longer.
    run.calibration = Calibration{0.1, cores};
  }
  run.ceiling = CeilingOptions{};
  const LoadWatch load;
  Result<StudyOutcome> outcome =
      RunStudy(PlanSweep(*base, *workers, *modes, cores, options.flags.threads_given()), run);
  if (!outcome.ok()) return ReportError(outcome.status());
  std::vector<SweepMeasurement> measurements;
  for (const std::vector<JobOutcome>& stage : outcome->stages) {
    for (const JobOutcome& point : stage) {
      measurements.push_back({std::string(ModeName(point.job.mode())), point.job.workers(),
                              ParallelUnits(point.job), SummarizeJob(point, cores)});
    }
  }
  pb::SweepReport report =
      BuildSweepReport(SummarizeJob(*outcome->reference, cores), measurements, cores);
  *report.mutable_load() = load.Finish(cores);
  *report.mutable_ceiling() = SummarizeCeiling(cores, outcome->ceiling_probes);
  for (pb::SweepSeries& series : *report.mutable_series()) {
    for (pb::SweepPoint& point : *series.mutable_points()) {
      point.set_possible_speedup(PossibleSpeedup(report.ceiling(), point.parallel_units()));
    }
  }
  const bool table = !options.csv && !options.flags.json() && !options.markdown;
  if (options.flags.json()) {
    std::cout << ToJson(report) << "\n";
  } else if (options.csv) {
    PrintSweepCsv(report, std::cout);
  } else if (options.markdown) {
    std::cout << MarkdownTable(SweepMarkdownTable(report));
  } else {
    PrintSweepTable(report, std::cout);
  }
  // The chart goes with the table; next to CSV or JSON it goes to stderr,
  // which keeps stdout machine-readable.
  std::ostream& chart_out = table ? std::cout : std::cerr;
  if (options.chart) chart_out << "\n" << TerminalChart(report);
  if (plot_format.has_value()) {
    const std::optional<std::string> gnuplot = FindGnuplot();
    if (!gnuplot.has_value()) {
      if (!options.chart) chart_out << "\n" << TerminalChart(report);
      std::cerr << "parlab: warning: gnuplot is not installed, so " << options.plot
                << " was not written; the chart above is its text version "
                   "(scripts/setup.sh installs gnuplot-nox)\n";
      return kExitOk;
    }
    Status drawn =
        RunGnuplot(*gnuplot, GnuplotScript(report, options.plot, *plot_format), options.plot);
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
