#include "coordinator/run_command.h"

#include <iostream>
#include <memory>

#include "coordinator/clean_command.h"
#include "coordinator/env_report.h"
#include "coordinator/job_flags.h"
#include "coordinator/job_runner.h"
#include "coordinator/job_spec.h"
#include "coordinator/job_summary.h"
#include "coordinator/log_writer.h"
#include "coordinator/report_format.h"

namespace parlab {

Command AddRunCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("run", "Run one workload in one mode and report statistics");
  auto flags = std::make_shared<JobFlags>(*sub, /*with_mode=*/true);
  return {sub, [flags]() {
            // First, so that a killed run's segment does not count against this one.
            RemoveOrphansAtStart(std::cerr);
            Result<pb::JobSpec> job = flags->MakeJob();
            if (!job.ok()) return ReportError(job.status());
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
            Result<JobOutcome> outcome = RunJob(*job, log.get());
            if (!outcome.ok()) return ReportError(outcome.status());
            if (log != nullptr) {
              if (Status closed = log->Close(); !closed.ok()) return ReportError(closed);
            }
            const pb::JobSummary summary = SummarizeJob(*outcome, UsableCores());
            if (flags->json()) {
              std::cout << ToJson(summary) << "\n";
            } else {
              PrintRunReport(summary, std::cout);
            }
            return kExitOk;
          }};
}

}  // namespace parlab
