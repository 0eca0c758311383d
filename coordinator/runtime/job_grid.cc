#include "coordinator/runtime/job_grid.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "coordinator/report/ceiling.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {

std::string JobSizeLabel(const pb::JobSpec& job) {
  const std::string field = JobSizeField(job.kernel().kernel());
  if (field == "n") return "n=" + std::to_string(job.kernel().n());
  if (field == "us") return "us=" + std::to_string(job.kernel().us());
  if (field == "ms") return "ms=" + std::to_string(job.kernel().ms());
  return "";
}

Result<StudyPlan> PlanJobGrid(const pb::JobSpec& job, const JobGrid& grid, int cores,
                              bool threads_given) {
  std::vector<pb::KernelParams> sizes;
  for (int64_t size : grid.sizes) {
    PARLAB_ASSIGN_OR_RETURN(pb::KernelParams sized, WithJobSize(job.kernel(), size));
    sizes.push_back(std::move(sized));
  }
  if (sizes.empty()) sizes.push_back(job.kernel());
  const std::vector<pb::Mode> modes =
      grid.modes.empty() ? std::vector<pb::Mode>{job.mode()} : grid.modes;
  const std::vector<int> workers =
      grid.workers.empty() ? std::vector<int>{job.workers()} : grid.workers;

  StudyPlan plan;
  for (const pb::KernelParams& params : sizes) {
    for (size_t w = 0; w < workers.size(); ++w) {
      StudyStage stage;
      for (pb::Mode mode : modes) {
        if (mode == pb::SEQ && w > 0) continue;
        pb::JobSpec point = job;
        *point.mutable_kernel() = params;
        point.set_mode(mode);
        point.set_workers(workers[w]);
        if (!threads_given) {
          if (mode == pb::BLAS) point.set_threads(workers[w]);
          if (mode == pb::HYBRID) point.set_threads(std::max(1, cores / workers[w]));
        }
        std::string label = JobSizeLabel(point);
        label += (label.empty() ? "" : ", ") + JobLabel(point);
        stage.jobs.push_back({std::move(point), std::move(label)});
      }
      if (!stage.jobs.empty()) plan.stages.push_back(std::move(stage));
    }
  }
  return plan;
}

pb::JobGridReport SummarizeJobGrid(const StudyOutcome& outcome, int cores) {
  pb::JobGridReport report;
  std::vector<const JobOutcome*> jobs;
  for (const std::vector<JobOutcome>& stage : outcome.stages) {
    for (const JobOutcome& job : stage) jobs.push_back(&job);
  }
  for (const JobOutcome* job : jobs) {
    pb::JobGridRow& row = *report.add_rows();
    row.set_size(JobSizeLabel(job->job));
    *row.mutable_summary() = SummarizeJob(*job, cores);
    if (report.workload().empty()) report.set_workload(job->job.kernel().kernel());
  }
  if (!outcome.ceiling_probes.empty()) {
    *report.mutable_ceiling() = SummarizeCeiling(cores, outcome.ceiling_probes);
  }
  // seq of the same size is each row's reference.
  for (int i = 0; i < report.rows_size(); ++i) {
    pb::JobGridRow& row = *report.mutable_rows(i);
    for (const pb::JobGridRow& seq : report.rows()) {
      if (seq.summary().mode() != "seq" || seq.size() != row.size()) continue;
      const int units = ParallelUnits(jobs[static_cast<size_t>(i)]->job);
      SetSpeedup(*row.mutable_summary(), seq.summary().wall_mean_s(), units);
      row.mutable_summary()->set_possible_speedup(PossibleSpeedup(report.ceiling(), units));
      if (&seq == &row) break;
      const std::string note = SpeedupNote(row.summary(), seq.summary(), kTrialsRemedy);
      if (!note.empty()) row.mutable_summary()->add_notes(note);
      break;
    }
  }
  return report;
}

}  // namespace parlab
