#include "coordinator/cli/compare_command.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "coordinator/cli/clean_command.h"
#include "coordinator/cli/job_flags.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/resource_check.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {

namespace {

struct CompareOptions {
  explicit CompareOptions(CLI::App& app) : flags(app, /*with_mode=*/false) {
    app.add_option("--modes", modes,
                   "modes to compare, in order (seq is always measured: "
                   "it is the reference)")
        ->capture_default_str();
  }
  JobFlags flags;
  std::string modes = "seq,threads,gil,procs,blas,hybrid";
};

int RunCompare(const CompareOptions& options) {
  // First, so that a killed run's segment does not count against this one.
  RemoveOrphansAtStart(std::cerr);
  Result<pb::JobSpec> base = options.flags.MakeJob();
  if (!base.ok()) return ReportError(base.status());
  Result<std::vector<pb::Mode>> modes = ParseModeList(options.modes);
  if (!modes.ok()) return ReportError(modes.status());
  if (std::find(modes->begin(), modes->end(), pb::SEQ) == modes->end()) {
    modes->insert(modes->begin(), pb::SEQ);
  }
  const int cores = UsableCores();

  std::vector<pb::JobSpec> jobs;
  int widest = 1;
  for (pb::Mode mode : *modes) {
    pb::JobSpec job = *base;
    job.set_mode(mode);
    if (mode == pb::THREADS || mode == pb::GIL || mode == pb::PROCS) job.set_threads(1);
    if (!options.flags.threads_given()) {
      // blas spends the workers as threads inside one task; hybrid splits the
      // cores between its processes.
      if (mode == pb::BLAS) job.set_threads(base->workers());
      if (mode == pb::HYBRID) job.set_threads(std::max(1, cores / base->workers()));
    }
    widest = std::max(widest, ParallelUnits(job));
    jobs.push_back(job);
  }
  if (base->tasks() == 0) {
    // Sized so the most parallel mode still runs about 0.1 s per trial.
    pb::JobSpec seq = *base;
    seq.set_mode(pb::SEQ);
    Result<int64_t> tasks = CalibrateTasks(seq, 0.1 * widest);
    if (!tasks.ok()) return ReportError(tasks.status());
    for (pb::JobSpec& job : jobs) job.set_tasks(*tasks);
  }
  for (const pb::JobSpec& job : jobs) {
    if (Status s = ValidateJob(job); !s.ok()) return ReportError(s);
  }
  // Every mode is started before any runs (below), so their memory adds up.
  if (Status s = CheckResources(jobs, ReadMachineResources()); !s.ok()) return ReportError(s);

  auto fail = [](const pb::JobSpec& job, const Status& status) {
    std::cerr << "parlab: mode " << ModeName(job.mode()) << ": ";
    return ReportError(status);
  };
  int64_t total_tasks = 0;
  for (const pb::JobSpec& job : jobs) total_tasks += JobTaskCount(job);
  std::unique_ptr<Progress> progress = Progress::OnStderr(total_tasks);
  // Every mode is started first, then the modes take turns trial by trial:
  // on a machine whose speed drifts (a shared VM), running one mode's trials
  // after another's would put the drift into the speedups.
  std::vector<std::unique_ptr<JobSession>> sessions;
  std::vector<Turn> turns;
  for (const pb::JobSpec& job : jobs) {
    progress->SetStage("starting " + JobLabel(job));
    Result<std::unique_ptr<JobSession>> session = JobSession::Start(job, nullptr);
    if (!session.ok()) {
      progress->Clear();
      return fail(job, session.status());
    }
    sessions.push_back(std::move(session).value());
    turns.push_back({sessions.back().get(), JobLabel(job), job.tasks()});
  }
  // Every job has the same warmup and trials (one base job).
  const int rounds = base->warmup() + base->trials();
  if (Status s = RunInTurns(turns, rounds, progress.get()); !s.ok()) return ReportError(s);
  progress->Clear();
  std::vector<pb::JobSummary> rows;
  double seq_wall_s = 0;
  for (size_t i = 0; i < sessions.size(); ++i) {
    Result<JobOutcome> outcome = sessions[i]->Finish();
    if (!outcome.ok()) return fail(jobs[i], outcome.status());
    pb::JobSummary row = SummarizeJob(*outcome, cores);
    if (jobs[i].mode() == pb::SEQ) seq_wall_s = row.wall_mean_s();
    rows.push_back(std::move(row));
  }
  for (size_t i = 0; i < rows.size(); ++i) SetSpeedup(rows[i], seq_wall_s, ParallelUnits(jobs[i]));
  if (options.flags.json()) {
    std::cout << ToJsonArray(rows) << "\n";
  } else {
    PrintCompareTable(rows, std::cout);
  }
  for (const pb::JobSummary& row : rows) {
    if (row.tasks_failed() > 0) return kExitTasksFailed;
  }
  return kExitOk;
}

}  // namespace

Command AddCompareCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "compare", "Run the same tasks in several modes and compare them with seq");
  auto options = std::make_shared<CompareOptions>(*sub);
  return {sub, [options]() { return RunCompare(*options); }};
}

}  // namespace parlab
