#include "coordinator/notebook/advise_runner.h"

#include <fmt/format.h>

#include <algorithm>

#include "coordinator/notebook/timeit_runner.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/task_grain.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {
namespace {

pb::JobSpec ProbeJob(const AdviseOptions& options, const KernelParams& params, pb::Mode mode,
                     int workers, int cores) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = params;
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_threads(1);
  job.set_warmup(1);
  job.set_trials(options.trials);
  // As compare: blas spends the workers as threads inside one task; hybrid
  // splits the cores between its processes.
  if (mode == pb::BLAS) job.set_threads(workers);
  if (mode == pb::HYBRID) job.set_threads(std::max(1, cores / workers));
  return job;
}

std::optional<int> EnvBlasThreads() {
  std::vector<std::pair<std::string, std::optional<std::string>>> variables;
  const pb::EnvReport env = CollectEnvReport();  // kept: the loop reads into it
  for (const pb::EnvReport::ThreadVariable& variable : env.thread_variables()) {
    variables.emplace_back(variable.name(), variable.has_value()
                                                ? std::optional<std::string>(variable.value())
                                                : std::nullopt);
  }
  return BlasThreadsFromEnv(variables);
}

}  // namespace

Result<AdviceReport> Advise(const AdviseOptions& options) {
  const int cores = UsableCores();
  const int workers = options.workers == 0 ? std::max(2, cores) : options.workers;
  if (workers < 1 || workers > static_cast<int>(kMaxWorkers)) {
    return InvalidArgument(fmt::format("--workers must be 1..{}, got {}", kMaxWorkers, workers));
  }
  if (options.trials < 1 || options.trials > 100) {
    return InvalidArgument(fmt::format("--trials must be 1..100, got {}", options.trials));
  }
  if (!(options.target_s >= 0.01 && options.target_s <= 60)) {
    return InvalidArgument(fmt::format("--target must be 0.01..60 s, got {}", options.target_s));
  }
  const Kernel* kernel = FindKernel(options.params.kernel());
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + options.params.kernel() +
                           "'; known: " + KernelNames());
  }
  PARLAB_RETURN_IF_ERROR(kernel->Validate(options.params));
  PARLAB_ASSIGN_OR_RETURN(const ComparableWork work,
                          SizeForComparison(options.params, options.size_given, workers));

  std::vector<pb::Mode> modes = {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS, pb::BLAS};
  if (kernel->UsesThreads()) modes.push_back(pb::HYBRID);
  std::vector<pb::JobSpec> jobs;
  for (pb::Mode mode : modes) jobs.push_back(ProbeJob(options, work.params, mode, workers, cores));
  if (options.progress != nullptr) options.progress->SetStage("sizing the probes");
  PARLAB_ASSIGN_OR_RETURN(int64_t tasks, CalibrateTasks(jobs.front(), options.target_s));
  int64_t total_tasks = 0;
  for (pb::JobSpec& job : jobs) {
    job.set_tasks(tasks);
    PARLAB_RETURN_IF_ERROR(ValidateJob(job));
    total_tasks += JobTaskCount(job);
  }
  // The count starts with the probes: the sizing's time would slow the rate.
  if (options.progress != nullptr) options.progress->StartCount(total_tasks);

  AdviceReport report;
  report.tasks = tasks;
  if (!work.under_floor) report.sizing = work.note;  // else it is a warning, below
  report.trials = options.trials;
  AdviceInput& input = report.input;
  input.workload = DescribeWorkload(work.params);
  input.releases_lock = kernel->ReleasesGlobalLock();
  input.uses_threads = kernel->UsesThreads();
  input.usable_cores = cores;
  input.env_blas_threads = EnvBlasThreads();
  for (size_t i = 0; i < jobs.size(); ++i) {
    const pb::JobSpec& job = jobs[i];
    if (options.progress != nullptr) {
      options.progress->SetStage(
          fmt::format("probing {} ({}/{})", ModeName(job.mode()), i + 1, jobs.size()));
    }
    Result<JobOutcome> outcome = RunJob(job, /*log=*/nullptr, options.progress);
    if (!outcome.ok()) {
      return Status(outcome.status().code(), std::string("probe ") +
                                                 std::string(ModeName(job.mode())) + ": " +
                                                 outcome.status().message());
    }
    const pb::JobSummary summary = SummarizeJob(*outcome, cores);
    ModeProbe probe;
    probe.mode = job.mode();
    probe.workers = job.mode() == pb::SEQ || job.mode() == pb::BLAS ? 1 : job.workers();
    probe.threads = job.threads();
    probe.units = ParallelUnits(job);
    probe.tasks = job.tasks();
    probe.wall_mean_s = summary.wall_mean_s();
    probe.wall_std_s = summary.wall_std_s();
    probe.timing = TimingOf(summary);
    input.probes.push_back(probe);
  }
  const double seq_s = input.probes.front().wall_mean_s;
  for (ModeProbe& probe : input.probes) {
    probe.speedup = probe.wall_mean_s > 0 ? seq_s / probe.wall_mean_s : 0;
  }
  report.advice = Decide(input);
  if (work.under_floor) report.advice.warnings.push_back(work.note);
  return report;
}

void PrintAdvice(const AdviceReport& report, std::ostream& out) {
  const AdviceInput& input = report.input;
  const Advice& advice = report.advice;
  out << fmt::format("advise {}: {} usable core{}; probes of {} tasks, 1 warm-up + {} trial{}\n\n",
                     input.workload, input.usable_cores, input.usable_cores == 1 ? "" : "s",
                     report.tasks, report.trials, report.trials == 1 ? "" : "s");
  if (!report.sizing.empty()) {
    out << report.sizing << "\n\n";
  }
  out << fmt::format("{:<8} {:>7} {:>7} {:>22} {:>8}\n", "mode", "workers", "threads",
                     "wall per trial", "speedup");
  for (const ModeProbe& probe : input.probes) {
    out << fmt::format(
        "{:<8} {:>7} {:>7} {:>22} {:>7.2f}x\n", ModeName(probe.mode), probe.workers, probe.threads,
        FormatSeconds(probe.wall_mean_s) + " ± " + FormatSeconds(probe.wall_std_s), probe.speedup);
  }
  out << "\nthe kernel " << advice.branch_text << "\n";
  out << "notebook's guide: " << advice.notebook_rule << "\n";
  const ModeProbe& r = advice.recommended;
  out << fmt::format("\nrecommendation: --mode {} --workers {} --threads {}  ({:.2f}x)\n",
                     ModeName(r.mode), r.workers, r.threads, r.speedup);
  for (const std::string& reason : advice.reasons) out << "  - " << reason << "\n";
  for (const std::string& warning : advice.warnings) out << "warning: " << warning << "\n";
}

}  // namespace parlab
