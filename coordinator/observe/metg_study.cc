#include "coordinator/observe/metg_study.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "coordinator/observe/metg_analysis.h"
#include "coordinator/observe/sweep_plan.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"

namespace parlab {
namespace {

double MedianComputeS(const std::vector<TaskRecord>& records) {
  std::vector<int64_t> ns;
  for (const TaskRecord& r : records) ns.push_back(r.t.compute_end_ns - r.t.compute_start_ns);
  if (ns.empty()) return 0;
  std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(ns.size() / 2), ns.end());
  return static_cast<double>(ns[ns.size() / 2]) * 1e-9;
}

}  // namespace

int64_t MetgTasksFor(int64_t us, int units, double trial_s) {
  const double wanted = std::ceil(trial_s * units / (static_cast<double>(us) * 1e-6));
  int64_t tasks = std::clamp<int64_t>(static_cast<int64_t>(wanted), 4 * int64_t{units}, 5000);
  return (tasks + units - 1) / units * units;
}

pb::JobSpec MetgJob(const pb::JobSpec& base, pb::Mode mode, int64_t us, int workers,
                    int usable_cores, double trial_s) {
  pb::JobSpec job = SweepJob(base, mode, workers, usable_cores, false);
  job.mutable_kernel()->set_us(us);
  job.set_tasks(MetgTasksFor(us, std::max(1, ParallelUnits(job)), trial_s));
  return job;
}

StudyPlan PlanMetg(const pb::JobSpec& base, const std::vector<pb::Mode>& modes,
                   const std::vector<int64_t>& steps, int workers, int usable_cores,
                   double trial_s) {
  StudyPlan plan;
  for (int64_t us : steps) {
    const std::string size = ", " + std::to_string(us) + " us tasks";
    StudyStage& stage = plan.stages.emplace_back();
    for (pb::Mode mode : modes) {
      pb::JobSpec job = MetgJob(base, mode, us, workers, usable_cores, trial_s);
      stage.jobs.push_back({job, JobLabel(job) + size});
    }
    pb::JobSpec seq = SweepJob(base, pb::SEQ, 1, usable_cores, false);
    seq.mutable_kernel()->set_us(us);
    seq.set_tasks(MetgTasksFor(us, 1, trial_s));
    stage.jobs.push_back({seq, "seq" + size});
  }
  return plan;
}

double MeanComputeS(const std::vector<TaskRecord>& records) {
  if (records.empty()) return 0;
  double sum = 0;
  for (const TaskRecord& r : records) {
    sum += static_cast<double>(r.t.compute_end_ns - r.t.compute_start_ns);
  }
  return sum / static_cast<double>(records.size()) * 1e-9;
}

pb::MetgPoint MetgPointOf(const JobOutcome& outcome, double task_s) {
  double wall_s = 0;
  for (int64_t ns : outcome.trial_wall_ns) wall_s += static_cast<double>(ns) * 1e-9;
  wall_s /= static_cast<double>(std::max<size_t>(1, outcome.trial_wall_ns.size()));
  pb::MetgPoint point;
  point.set_spin_us(outcome.job.kernel().us());
  point.set_task_duration_s(task_s);
  point.set_tasks(outcome.job.tasks());
  point.set_wall_mean_s(wall_s);
  point.set_efficiency(
      TaskEfficiency(outcome.job.tasks(), task_s, ParallelUnits(outcome.job), wall_s));
  point.set_compute_median_s(MedianComputeS(outcome.records));
  return point;
}

}  // namespace parlab
