#include "coordinator/cli/run_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/clean_command.h"
#include "coordinator/cli/job_flags.h"
#include "coordinator/cli/mpi_run.h"
#include "coordinator/observe/log_writer.h"
#include "coordinator/observe/trace_writer.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {

Command AddRunCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("run", "Run one workload in one mode and report statistics");
  auto flags = std::make_shared<JobFlags>(*sub, /*with_mode=*/true);
  auto trace_path = std::make_shared<std::string>();
  auto trace = std::make_shared<TraceOptions>();
  sub->add_option("--trace", *trace_path,
                  "write run.json, a Chrome trace of the measured trials (Perfetto, "
                  "chrome://tracing): a track per worker, a slice per phase of each task");
  sub->add_option("--trace-tasks", trace->max_tasks,
                  "tasks written to the trace at most, the first ones; 0 = all")
      ->capture_default_str();
  auto mpi = std::make_shared<MpiRunFlags>();
  sub->add_option("--hosts", mpi->hosts,
                  "--transport mpi: the hosts to run on, as mpirun's --host takes them "
                  "(a,b or a:2,b:2 for 2 slots each); parlab runs mpirun itself")
      ->group("MPI");
  sub->add_option("--hostfile", mpi->hostfile,
                  "--transport mpi: an mpirun hostfile (one host a line, slots=N)")
      ->group("MPI");
  return {sub, [flags, trace_path, trace, mpi]() {
            if (trace->max_tasks < 0) {
              return ReportError(InvalidArgument("--trace-tasks must be 0 (all) or more, got " +
                                                 std::to_string(trace->max_tasks)));
            }
            // First, so that a killed run's segment does not count against this one.
            RemoveOrphansAtStart(std::cerr);
            Result<pb::JobSpec> job = flags->MakeJob();
            if (!job.ok()) return ReportError(job.status());
            if (job->transport() == pb::MPI &&
                (job->mode() == pb::PROCS || job->mode() == pb::HYBRID)) {
              mpi->workers_given = flags->workers_given();
              // Ranks above 0 become workers, a run by hand becomes mpirun.
              if (std::optional<int> code = RouteMpiRun(*job, *mpi)) return *code;
            } else if (!mpi->hosts.empty() || !mpi->hostfile.empty()) {
              return ReportError(InvalidArgument("--hosts and --hostfile need --transport mpi"));
            }
            if (job->tasks() == 0) {
              // One trial of about 0.1 s, so a thread pool is warm before it ends.
              Result<int64_t> tasks = CalibrateTasks(*job, 0.1 * ParallelUnits(*job));
              if (!tasks.ok()) return ReportError(tasks.status());
              job->set_tasks(*tasks);
              // Again with the real task count: --chunk auto sizes the rings from it.
              if (Status s = ValidateJob(*job); !s.ok()) return ReportError(s);
            }
            std::unique_ptr<LogWriter> log;
            if (!flags->log_path().empty()) {
              Result<std::unique_ptr<LogWriter>> opened = LogWriter::Open(flags->log_path(), *job);
              if (!opened.ok()) return ReportError(opened.status());
              log = std::move(opened).value();
            }
            std::unique_ptr<Progress> progress = Progress::OnStderr(JobTaskCount(*job));
            progress->SetStage(JobLabel(*job));
            Result<JobOutcome> outcome = RunJob(*job, log.get(), progress.get());
            progress->Clear();
            if (!outcome.ok()) return ReportError(outcome.status());
            if (log != nullptr) {
              if (Status closed = log->Close(); !closed.ok()) return ReportError(closed);
            }
            if (!trace_path->empty()) {
              trace->source = "parlab run";
              Status written = WriteTrace(*trace_path, *job, outcome->records, *trace);
              if (!written.ok()) return ReportError(written);
            }
            const pb::JobSummary summary = SummarizeJob(*outcome, UsableCores());
            if (flags->json()) {
              std::cout << ToJson(summary) << "\n";
            } else {
              PrintRunReport(summary, std::cout);
            }
            return summary.tasks_failed() > 0 ? kExitTasksFailed : kExitOk;
          }};
}

}  // namespace parlab
