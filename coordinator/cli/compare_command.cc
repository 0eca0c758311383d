#include "coordinator/cli/compare_command.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "coordinator/cli/clean_command.h"
#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/job_flags.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/study.h"
#include "coordinator/runtime/task_grain.h"
#include "proto/report.pb.h"

namespace parlab {

namespace {

struct CompareOptions {
  explicit CompareOptions(CLI::App& app) : flags(app, "CompareReport", /*with_mode=*/false) {
    app.add_option("--modes", modes,
                   "modes to compare, in order (seq is always measured: "
                   "it is the reference)")
        ->capture_default_str();
    // --json is JobFlags'.
    AddFormatFlags(app,
                   FormatFlags().Markdown(&markdown).Csv(&csv, "a row per mode (plain numbers)"));
  }
  JobFlags flags;
  std::string modes = "seq,threads,gil,procs,blas,hybrid";
  bool markdown = false;
  bool csv = false;
};

template <typename Rows>
int ExitCodeOfRows(const Rows& rows) {
  for (const pb::JobSummary& row : rows) {
    if (row.tasks_failed() > 0) return kExitTasksFailed;
  }
  return kExitOk;
}

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
  // No verdict about modes from tasks shorter than dispatch can carry: a
  // loop-like workload without --n/--us is sized by time; one given is kept
  // and the note says what its speedups are worth (task_grain.h).
  Result<ComparableWork> work =
      SizeForComparison(base->kernel(), options.flags.size_given(), base->workers());
  if (!work.ok()) return ReportError(work.status());
  *base->mutable_kernel() = work->params;

  // One stage: every mode is started before any runs, then they take turns
  // trial by trial (study.h), so their memory adds up and drift is shared.
  StudyPlan plan;
  StudyStage& stage = plan.stages.emplace_back();
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
    stage.jobs.push_back({job, ""});
  }
  StudyOptions run;
  // Without --tasks: sized so the most parallel mode still runs about 0.1 s per trial.
  if (base->tasks() == 0) run.calibration = Calibration{};
  run.ceiling = CeilingOptions{};
  const LoadWatch load;
  Result<StudyOutcome> outcome = RunStudy(std::move(plan), run);
  if (!outcome.ok()) return ReportError(outcome.status());
  const pb::LoadProbe probe = load.Finish(cores);
  const pb::Ceiling ceiling = SummarizeCeiling(cores, outcome->ceiling_probes);

  std::vector<pb::JobSummary> rows;
  double seq_wall_s = 0;
  for (const JobOutcome& job : outcome->stages.front()) {
    pb::JobSummary row = SummarizeJob(job, cores);
    if (job.job.mode() == pb::SEQ) {
      seq_wall_s = row.wall_mean_s();
      if (!work->note.empty()) row.add_notes(work->note);
    }
    rows.push_back(std::move(row));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const int units = ParallelUnits(outcome->stages.front()[i].job);
    SetSpeedup(rows[i], seq_wall_s, units);
    rows[i].set_possible_speedup(PossibleSpeedup(ceiling, units));
  }
  // A speedup inside the noise is said to be so, beside the figure.
  for (pb::JobSummary& row : rows) {
    *row.mutable_load() = probe;
    for (const pb::JobSummary& seq : rows) {
      if (seq.mode() != "seq") continue;
      const std::string note = SpeedupNote(row, seq, kTrialsRemedy);
      if (!note.empty()) row.add_notes(note);
    }
  }
  if (options.flags.json()) {
    pb::CompareReport report;
    report.set_workload(rows.front().workload());
    report.set_tasks(rows.front().tasks());
    report.set_warmup(rows.front().warmup());
    report.set_trials(rows.front().trials());
    report.set_usable_cores(cores);
    for (pb::JobSummary& row : rows) *report.add_rows() = std::move(row);
    *report.mutable_ceiling() = ceiling;
    *report.mutable_load() = probe;
    std::cout << ToJson(report) << "\n";
    return ExitCodeOfRows(report.rows());
  }
  if (options.markdown) {
    std::cout << MarkdownTable(CompareTable(rows));
  } else if (options.csv) {
    std::cout << CsvTable(CompareCsvTable(rows));
  } else {
    PrintCompareTable(rows, std::cout);
    if (const std::string line = CeilingLine(ceiling); !line.empty()) std::cout << line << "\n";
    if (const std::string line = LoadLine(probe); !line.empty()) std::cout << line << "\n";
  }
  return ExitCodeOfRows(rows);
}
}  // namespace

Command AddCompareCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "compare", "Run the same tasks in several modes and compare them with seq");
  auto options = std::make_shared<CompareOptions>(*sub);
  return {sub, [options]() { return RunCompare(*options); }};
}

}  // namespace parlab
