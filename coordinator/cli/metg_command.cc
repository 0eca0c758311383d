#include "coordinator/cli/metg_command.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/observe/metg_analysis.h"
#include "coordinator/observe/metg_report.h"
#include "coordinator/observe/metg_study.h"
#include "coordinator/observe/sweep_plan.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/study.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

constexpr double kTarget = 0.5;  // Task Bench's METG(50%)

struct MetgOptions {
  explicit MetgOptions(CLI::App& app) {
    app.add_option("--modes", modes, "modes to measure (threads, gil, procs, blas, hybrid)")
        ->capture_default_str();
    app.add_option("--workers,-w", workers, "workers per mode (default: the usable cores)");
    app.add_option("--min-us", min_us, "smallest spin task, µs of work")->capture_default_str();
    app.add_option("--max-us", max_us, "largest spin task, µs of work")->capture_default_str();
    app.add_option("--factor", factor, "ratio between one step's task and the next")
        ->capture_default_str();
    app.add_option("--trial-ms", trial_ms,
                   "size of a trial: ms the parallel units would need at full efficiency")
        ->capture_default_str();
    app.add_option("--warmup", warmup, "trials run and discarded per step")->capture_default_str();
    app.add_option("--trials", trials, "measured trials per step")->capture_default_str();
    app.add_option("--wait", wait, "procs/hybrid: spin, block or adaptive")->capture_default_str();
    AddFormatFlags(app, FormatFlags::Json(&json, "MetgReport")
                            .Csv(&csv, "a row per mode and step (plain numbers)"));
  }
  std::string modes = "threads,procs";
  int workers = 0;
  int64_t min_us = 1;
  int64_t max_us = 10000;
  double factor = 2;
  double trial_ms = 20;
  int warmup = 1;
  int trials = 3;
  std::string wait = "adaptive";
  bool json = false;
  bool csv = false;
};

Status CheckOptions(const MetgOptions& o) {
  if (o.workers < 0 || o.workers > static_cast<int>(kMaxWorkers)) {
    return InvalidArgument("--workers must be 1.." + std::to_string(kMaxWorkers) + ", got " +
                           std::to_string(o.workers));
  }
  if (o.min_us < 1 || o.min_us > 1'000'000) {
    return InvalidArgument("--min-us must be 1..1000000, got " + std::to_string(o.min_us));
  }
  if (o.max_us < o.min_us || o.max_us > 1'000'000) {
    return InvalidArgument("--max-us must be --min-us (" + std::to_string(o.min_us) +
                           ")..1000000, got " + std::to_string(o.max_us));
  }
  if (!(o.factor >= 1.1 && o.factor <= 100)) {
    return InvalidArgument("--factor must be 1.1..100, got " + std::to_string(o.factor));
  }
  if (!(o.trial_ms >= 1 && o.trial_ms <= 10000)) {
    return InvalidArgument("--trial-ms must be 1..10000, got " + std::to_string(o.trial_ms));
  }
  if (o.warmup < 0 || o.warmup > 100) {
    return InvalidArgument("--warmup must be 0..100, got " + std::to_string(o.warmup));
  }
  if (o.trials < 1 || o.trials > 1000) {
    return InvalidArgument("--trials must be 1..1000, got " + std::to_string(o.trials));
  }
  return ParseWaitPolicy(o.wait).status();
}

int Metg(const MetgOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return ReportError(s);
  Result<std::vector<pb::Mode>> modes = ParseSweepModes(options.modes);
  if (!modes.ok()) return ReportError(modes.status());
  const int cores = UsableCores();
  const int workers = options.workers > 0 ? options.workers : cores;
  const std::vector<int64_t> steps = MetgSteps(options.min_us, options.max_us, options.factor);
  const double trial_s = options.trial_ms * 1e-3;

  pb::JobSpec base = DefaultJob();
  *base.mutable_kernel() = FindKernel("spin")->Defaults();
  base.set_warmup(options.warmup);
  base.set_trials(options.trials);
  Result<WaitPolicy> wait = ParseWaitPolicy(options.wait);
  if (!wait.ok()) return ReportError(wait.status());
  base.set_wait(ToProto(*wait));
  // One stage per step (metg_study.h); every job is validated before the first runs.
  const LoadWatch load;
  StudyOptions run;
  run.ceiling = CeilingOptions{};
  Result<std::unique_ptr<Study>> study =
      Study::Prepare(PlanMetg(base, *modes, steps, workers, cores, trial_s), run);
  if (!study.ok()) return ReportError(study.status());

  pb::MetgReport report;
  report.set_workers(workers);
  report.set_usable_cores(cores);
  report.set_efficiency_target(kTarget);
  report.set_min_us(steps.front());
  report.set_max_us(steps.back());
  for (pb::Mode mode : *modes) {
    pb::MetgMode& entry = *report.add_modes();
    entry.set_mode(std::string(ModeName(mode)));
    entry.set_parallel_units(ParallelUnits(MetgJob(base, mode, 1, workers, cores, trial_s)));
  }
  const size_t seq_index = modes->size();  // seq follows the modes in every stage
  std::vector<bool> done(modes->size(), false);
  for (size_t k = 0; k < steps.size(); ++k) {
    Result<StageOutcome> stage = (*study)->RunStage(k);
    if (!stage.ok()) return ReportError(stage.status());
    if (!(*stage)[seq_index].has_value()) continue;  // every mode has its answer
    const double task_s = MeanComputeS((*stage)[seq_index]->records);
    for (size_t m = 0; m < modes->size(); ++m) {
      if (!(*stage)[m].has_value()) continue;
      pb::MetgPoint& point = *report.mutable_modes(static_cast<int>(m))->add_points();
      point = MetgPointOf(*(*stage)[m], task_s);
      if (point.efficiency() >= kTarget) {
        // The smallest task reaching the target is found: larger ones cannot
        // change the answer, so the mode's remaining steps are dropped.
        done[m] = true;
        for (size_t later = k + 1; later < steps.size(); ++later) (*study)->Skip(later, m);
      }
    }
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) {
      for (size_t later = k + 1; later < steps.size(); ++later) {
        (*study)->Skip(later, seq_index);
      }
    }
  }
  if (Result<std::optional<JobOutcome>> finished = (*study)->Finish(); !finished.ok()) {
    return ReportError(finished.status());
  }
  *report.mutable_load() = load.Finish(cores);
  *report.mutable_ceiling() = SummarizeCeiling(cores, (*study)->ceiling_probes());
  for (pb::MetgMode& entry : *report.mutable_modes()) {
    const MetgEstimate estimate =
        EstimateMetg({entry.points().begin(), entry.points().end()}, kTarget);
    entry.set_reached(estimate.reached);
    entry.set_at_floor(estimate.at_floor);
    entry.set_metg_s(estimate.metg_s);
  }
  if (options.json) {
    std::cout << ToJson(report) << "\n";
  } else if (options.csv) {
    std::cout << CsvTable(MetgCsvTable(report));
  } else {
    PrintMetgTable(report, std::cout);
  }
  return kExitOk;
}

}  // namespace

Command AddMetgCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "metg",
      "Minimum effective task granularity per mode: the smallest task that still keeps 50% "
      "efficiency (Task Bench)");
  auto options = std::make_shared<MetgOptions>(*sub);
  return {sub, [options]() { return Metg(*options); }};
}

}  // namespace parlab
