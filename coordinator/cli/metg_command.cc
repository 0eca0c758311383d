#include "coordinator/cli/metg_command.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "coordinator/observe/metg_analysis.h"
#include "coordinator/observe/metg_report.h"
#include "coordinator/observe/sweep_plan.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"
#include "shared/kernels/kernel.h"

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
    app.add_flag("--json", json, "print JSON instead of a table");
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
  if (o.wait != "spin" && o.wait != "block" && o.wait != "adaptive") {
    return InvalidArgument("--wait must be spin, block or adaptive, got '" + o.wait + "'");
  }
  return Status::Ok();
}

// Enough tasks for `trial_s` of work on `units` at full efficiency, a
// multiple of the units; at least 4 per unit, and at most 5,000: the smallest
// tasks run at a few percent efficiency, where 40,000 of them would make one
// trial last a second for a figure that is clear long before.
int64_t TasksFor(int64_t us, int units, double trial_s) {
  const double wanted = std::ceil(trial_s * units / (static_cast<double>(us) * 1e-6));
  int64_t tasks = std::clamp<int64_t>(static_cast<int64_t>(wanted), 4 * int64_t{units}, 5000);
  return (tasks + units - 1) / units * units;
}

// seq only measures the task's duration: one unit's share of a trial is enough.
int64_t SeqTasksFor(int64_t us, double trial_s) { return TasksFor(us, 1, trial_s); }

double MeanComputeS(const std::vector<TaskRecord>& records) {
  if (records.empty()) return 0;
  double sum = 0;
  for (const TaskRecord& r : records) {
    sum += static_cast<double>(r.t.compute_end_ns - r.t.compute_start_ns);
  }
  return sum / static_cast<double>(records.size()) * 1e-9;
}

double MedianComputeS(const std::vector<TaskRecord>& records) {
  std::vector<int64_t> ns;
  for (const TaskRecord& r : records) ns.push_back(r.t.compute_end_ns - r.t.compute_start_ns);
  if (ns.empty()) return 0;
  std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(ns.size() / 2), ns.end());
  return static_cast<double>(ns[ns.size() / 2]) * 1e-9;
}

int Metg(const MetgOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return ReportError(s);
  Result<std::vector<pb::Mode>> modes = ParseSweepModes(options.modes);
  if (!modes.ok()) return ReportError(modes.status());
  const int cores = UsableCores();
  const int workers = options.workers > 0 ? options.workers : cores;
  const std::vector<int64_t> steps = MetgSteps(options.min_us, options.max_us, options.factor);

  pb::JobSpec base = DefaultJob();
  *base.mutable_kernel() = FindKernel("spin")->Defaults();
  base.set_warmup(options.warmup);
  base.set_trials(options.trials);
  base.set_wait(options.wait == "spin"    ? pb::SPIN
                : options.wait == "block" ? pb::BLOCK
                                          : pb::ADAPTIVE);
  // One job per mode and step; all are validated before the first runs.
  auto job_at = [&](pb::Mode mode, int64_t us) {
    pb::JobSpec job = SweepJob(base, mode, workers, cores, false);
    job.mutable_kernel()->set_us(us);
    job.set_tasks(TasksFor(us, std::max(1, ParallelUnits(job)), options.trial_ms * 1e-3));
    return job;
  };
  pb::MetgReport report;
  report.set_workers(workers);
  report.set_usable_cores(cores);
  report.set_efficiency_target(kTarget);
  report.set_min_us(steps.front());
  report.set_max_us(steps.back());
  int64_t total_tasks = 0;
  for (int64_t us : steps) {
    for (pb::Mode mode : *modes) {
      const pb::JobSpec job = job_at(mode, us);
      if (Status s = ValidateJob(job); !s.ok()) {
        return ReportError(Status(s.code(), JobLabel(job) + ": " + s.message()));
      }
      total_tasks += JobTaskCount(job);
    }
    total_tasks += SeqTasksFor(us, options.trial_ms * 1e-3) * (options.warmup + options.trials);
  }
  for (pb::Mode mode : *modes) {
    pb::MetgMode& entry = *report.add_modes();
    entry.set_mode(std::string(ModeName(mode)));
    entry.set_parallel_units(ParallelUnits(job_at(mode, 1)));
  }

  std::unique_ptr<Progress> progress = Progress::OnStderr(total_tasks);
  std::vector<bool> done(modes->size(), false);
  for (size_t k = 0; k < steps.size(); ++k) {
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
    const int64_t us = steps[k];
    std::vector<size_t> active;
    std::vector<pb::JobSpec> jobs;
    for (size_t m = 0; m < modes->size(); ++m) {
      if (done[m]) continue;
      active.push_back(m);
      jobs.push_back(job_at((*modes)[m], us));
    }
    const int64_t seq_tasks = SeqTasksFor(us, options.trial_ms * 1e-3);
    // seq measures what a task of this size costs on one core, without any
    // runtime around it: the task duration of the efficiency. It takes its
    // turns with the modes, so it sees the same machine.
    pb::JobSpec seq = SweepJob(base, pb::SEQ, 1, cores, false);
    seq.mutable_kernel()->set_us(us);
    seq.set_tasks(seq_tasks);
    std::vector<std::unique_ptr<JobSession>> sessions;
    std::vector<Turn> turns;
    for (const pb::JobSpec& job : jobs) {
      progress->SetStage("starting " + JobLabel(job) + ", " + std::to_string(us) + " us");
      Result<std::unique_ptr<JobSession>> session = JobSession::Start(job, nullptr);
      if (!session.ok()) {
        progress->Clear();
        return ReportError(
            Status(session.status().code(), JobLabel(job) + ": " + session.status().message()));
      }
      sessions.push_back(std::move(session).value());
      turns.push_back({sessions.back().get(),
                       JobLabel(job) + ", " + std::to_string(us) + " us tasks", job.tasks()});
    }
    Result<std::unique_ptr<JobSession>> reference = JobSession::Start(seq, nullptr);
    if (!reference.ok()) return ReportError(reference.status());
    turns.push_back({reference->get(), "seq, " + std::to_string(us) + " us tasks", seq.tasks()});
    if (Status s = RunInTurns(turns, options.warmup + options.trials, progress.get()); !s.ok()) {
      return ReportError(s);
    }
    Result<JobOutcome> seq_outcome = (*reference)->Finish();
    if (!seq_outcome.ok()) {
      progress->Clear();
      return ReportError(seq_outcome.status());
    }
    // The mean, not the median: seq takes its turns with the modes, so its
    // tasks are preempted by the neighbours as the modes' are, and the mean
    // carries that into the duration as the modes' walls carry it: on a
    // shared machine the load then cancels in the ratio. The median leaves
    // it out and counts the neighbours' time against the mode (measured under
    // load: every mode stuck near 18% up to 2 ms tasks).
    const double task_s = MeanComputeS(seq_outcome->records);
    for (size_t i = 0; i < active.size(); ++i) {
      const size_t m = active[i];
      Result<JobOutcome> outcome = sessions[i]->Finish();
      if (!outcome.ok()) {
        progress->Clear();
        return ReportError(
            Status(outcome.status().code(), JobLabel(jobs[i]) + ": " + outcome.status().message()));
      }
      double wall_s = 0;
      for (int64_t ns : outcome->trial_wall_ns) wall_s += static_cast<double>(ns) * 1e-9;
      wall_s /= static_cast<double>(std::max<size_t>(1, outcome->trial_wall_ns.size()));
      pb::MetgMode& entry = *report.mutable_modes(static_cast<int>(m));
      pb::MetgPoint& point = *entry.add_points();
      point.set_spin_us(us);
      point.set_task_duration_s(task_s);
      point.set_tasks(jobs[i].tasks());
      point.set_wall_mean_s(wall_s);
      point.set_efficiency(TaskEfficiency(jobs[i].tasks(), task_s, entry.parallel_units(), wall_s));
      point.set_compute_median_s(MedianComputeS(outcome->records));
      if (point.efficiency() >= kTarget) {
        // The smallest task reaching the target is found: larger ones cannot
        // change the answer, so the mode's remaining steps are dropped.
        done[m] = true;
        for (size_t later = k + 1; later < steps.size(); ++later) {
          progress->AddTotal(-JobTaskCount(job_at((*modes)[m], steps[later])));
        }
      }
    }
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) {
      for (size_t later = k + 1; later < steps.size(); ++later) {
        progress->AddTotal(-SeqTasksFor(steps[later], options.trial_ms * 1e-3) *
                           (options.warmup + options.trials));
      }
    }
  }
  progress->Clear();
  for (pb::MetgMode& entry : *report.mutable_modes()) {
    const MetgEstimate estimate =
        EstimateMetg({entry.points().begin(), entry.points().end()}, kTarget);
    entry.set_reached(estimate.reached);
    entry.set_at_floor(estimate.at_floor);
    entry.set_metg_s(estimate.metg_s);
  }
  if (options.json) {
    std::cout << ToJson(report) << "\n";
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
