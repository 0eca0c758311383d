#include "coordinator/cli/run_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/clean_command.h"
#include "coordinator/cli/command_flags.h"
#include "coordinator/cli/job_flags.h"
#include "coordinator/cli/mpi_run.h"
#include "coordinator/command/command_job.h"
#include "coordinator/observe/log_writer.h"
#include "coordinator/observe/trace_writer.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/job_grid_format.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_file.h"
#include "coordinator/runtime/job_grid.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/study.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {

namespace {

struct RunOptions {
  explicit RunOptions(CLI::App& app)
      : flags(app, "JobSummary (a job file's grid: JobGridReport; --cmd: CommandRunReport)",
              /*with_mode=*/true),
        command(app) {
    app.add_option("--job", job_path,
                   "run the job a text-format job file describes (examples/jobs/): a task "
                   "count, a task list with per-task params, or a grid of sizes × modes × "
                   "workers with one combined report; or a command job (a command block as "
                   "--cmd takes it, or a task list of command lines); a plugin it names is "
                   "loaded (paths relative to the file's folder); the flags given here "
                   "override the file's fields (--mode its grid's modes, --workers its worker "
                   "counts, the size flag its sizes, --inputs or ::: a command job's inputs)");
    app.add_option("--trace", trace_path,
                   "write run.json, a Chrome trace of the measured trials (Perfetto, "
                   "chrome://tracing): a track per worker, a slice per phase of each task");
    app.add_option("--trace-tasks", trace.max_tasks,
                   "tasks written to the trace at most, the first ones; 0 = all")
        ->capture_default_str();
    app.add_option("--hosts", mpi.hosts,
                   "--transport mpi: the hosts to run on, as mpirun's --host takes them "
                   "(a,b or a:2,b:2 for 2 slots each); parlab runs mpirun itself")
        ->group("MPI");
    app.add_option("--hostfile", mpi.hostfile,
                   "--transport mpi: an mpirun hostfile (one host a line, slots=N)")
        ->group("MPI");
  }
  JobFlags flags;
  CommandFlags command;  // --cmd: a command per input instead of a kernel
  std::string job_path;
  std::string trace_path;
  TraceOptions trace;
  MpiRunFlags mpi;
};

int RunOne(pb::JobSpec job, const RunOptions& options) {
  const JobFlags& flags = options.flags;
  if (job.transport() == pb::MPI && (job.mode() == pb::PROCS || job.mode() == pb::HYBRID)) {
    MpiRunFlags mpi = options.mpi;
    mpi.workers_given = flags.workers_given();
    // Ranks above 0 become workers, a run by hand becomes mpirun.
    if (std::optional<int> code = RouteMpiRun(job, mpi)) return *code;
  } else if (!options.mpi.hosts.empty() || !options.mpi.hostfile.empty()) {
    return ReportError(InvalidArgument("--hosts and --hostfile need --transport mpi"));
  }
  if (job.tasks() == 0) {
    // One trial of about 0.1 s, so a thread pool is warm before it ends.
    Result<int64_t> tasks = CalibrateTasks(job, 0.1 * ParallelUnits(job));
    if (!tasks.ok()) return ReportError(tasks.status());
    job.set_tasks(*tasks);
    // Again with the real task count: --chunk auto sizes the rings from it.
    if (Status s = ValidateJob(job); !s.ok()) return ReportError(s);
  }
  std::unique_ptr<LogWriter> log;
  if (!flags.log_path().empty()) {
    Result<std::unique_ptr<LogWriter>> opened = LogWriter::Open(flags.log_path(), job);
    if (!opened.ok()) return ReportError(opened.status());
    log = std::move(opened).value();
  }
  std::unique_ptr<Progress> progress = Progress::OnStderr(JobTaskCount(job));
  progress->SetStage(JobLabel(job));
  Result<JobOutcome> outcome = RunJob(job, log.get(), progress.get());
  progress->Clear();
  if (!outcome.ok()) return ReportError(outcome.status());
  if (log != nullptr) {
    if (Status closed = log->Close(); !closed.ok()) return ReportError(closed);
  }
  if (!options.trace_path.empty()) {
    TraceOptions trace = options.trace;
    trace.source = "parlab run";
    Status written = WriteTrace(options.trace_path, job, outcome->records, trace);
    if (!written.ok()) return ReportError(written);
  }
  const pb::JobSummary summary = SummarizeJob(*outcome, UsableCores());
  if (flags.json()) {
    std::cout << ToJson(summary) << "\n";
  } else {
    PrintRunReport(summary, std::cout);
  }
  return summary.tasks_failed() > 0 ? kExitTasksFailed : kExitOk;
}

// A job file's grid: several jobs through the study runner compare and sweep
// use (runtime/study.h), one combined report.
int RunGrid(const pb::JobSpec& job, const JobGrid& grid, bool threads_given,
            const RunOptions& options) {
  if (!options.flags.log_path().empty() || !options.trace_path.empty()) {
    return ReportError(InvalidArgument(
        "--log and --trace write one job, and this job file's grid makes several; leave them "
        "out, or pick one point with --mode, --workers and the size flag"));
  }
  const int cores = UsableCores();
  Result<StudyPlan> plan = PlanJobGrid(job, grid, cores, threads_given);
  if (!plan.ok()) return ReportError(plan.status());
  StudyOptions run;
  // Without tasks: each size sized so its most parallel job runs about 0.1 s a trial.
  if (job.tasks() == 0) run.calibration = Calibration{};
  // Every speedup is read against what the machine delivers, probed among the stages.
  run.ceiling = CeilingOptions{};
  const LoadWatch load;
  Result<StudyOutcome> outcome = RunStudy(std::move(plan).value(), run);
  if (!outcome.ok()) return ReportError(outcome.status());
  pb::JobGridReport report = SummarizeJobGrid(*outcome, cores);
  *report.mutable_load() = load.Finish(cores);
  if (options.flags.json()) {
    std::cout << ToJson(report) << "\n";
  } else {
    PrintJobGridTable(report, std::cout);
  }
  for (const pb::JobGridRow& row : report.rows()) {
    if (row.summary().tasks_failed() > 0) return kExitTasksFailed;
  }
  return kExitOk;
}

int Run(const RunOptions& options) {
  if (options.trace.max_tasks < 0) {
    return ReportError(InvalidArgument("--trace-tasks must be 0 (all) or more, got " +
                                       std::to_string(options.trace.max_tasks)));
  }
  // First, so that a killed run's segment does not count against this one.
  RemoveOrphansAtStart(std::cerr);
  if (options.command.given()) {
    if (!options.job_path.empty()) {
      return ReportError(InvalidArgument("--job and --cmd do not go together"));
    }
    return options.command.Run(options.flags);
  }
  if (options.command.has_arguments() && options.job_path.empty()) {
    return ReportError(InvalidArgument("::: gives the inputs of --cmd, which is missing"));
  }
  if (options.job_path.empty()) {
    Result<pb::JobSpec> job = options.flags.MakeJob();
    if (!job.ok()) return ReportError(job.status());
    return RunOne(std::move(job).value(), options);
  }
  // A plugin's kernels must be known before the file naming one is read.
  if (Status loaded = options.flags.kernel().LoadGivenPlugin().status(); !loaded.ok()) {
    return ReportError(loaded);
  }
  JobFileChecks checks;
  checks.check_command = ValidateCommandJob;
  Result<JobFileSpec> file = LoadJobFile(options.job_path, checks);
  if (!file.ok()) return ReportError(file.status());
  // A command job in a file: the --cmd path with the file's job under the flags.
  if (file->job.has_command()) return options.command.Run(options.flags, &file->job);
  if (options.command.has_arguments()) {
    return ReportError(InvalidArgument(
        "::: gives the inputs of a command job, and this job file runs a workload"));
  }
  Result<pb::JobSpec> job = options.flags.MakeJob(file->job);
  if (!job.ok()) return ReportError(job.status());
  // A flag given replaces the grid's list it stands for.
  JobGrid grid = file->grid;
  if (options.flags.mode_given()) grid.modes.clear();
  if (options.flags.workers_given()) grid.workers.clear();
  const std::string size_field = JobSizeField(job->kernel().kernel());
  if (!size_field.empty() && options.flags.kernel().given("--" + size_field)) grid.sizes.clear();
  if (grid.empty()) return RunOne(std::move(job).value(), options);
  return RunGrid(*job, grid, file->threads_given || options.flags.threads_given(), options);
}

}  // namespace

Command AddRunCommand(CLI::App& app, std::vector<std::string> arguments) {
  CLI::App* sub = app.add_subcommand(
      "run", "Run one workload in one mode and report statistics, or a command per input (--cmd)");
  auto options = std::make_shared<RunOptions>(*sub);
  options->command.set_arguments(std::move(arguments));
  return {sub, [options]() { return Run(*options); }};
}

}  // namespace parlab
