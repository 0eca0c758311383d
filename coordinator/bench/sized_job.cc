#include "coordinator/bench/sized_job.h"

#include <algorithm>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_spec.h"

namespace parlab {

Result<JobOutcome> RunSizedJob(pb::JobSpec job, int64_t max_tasks, double budget_s,
                               Progress* progress, int trials) {
  pb::JobSpec probe = job;
  const int64_t probe_tasks = std::min(max_tasks, kSizingProbeTasks);
  probe.set_tasks(probe_tasks);
  // A warmup first: a new worker often starts on the core its spinning
  // coordinator holds until the scheduler moves it, and a cold trial sized the
  // shm spin row of `bench ipc` at ~1,000 tasks (1 ms a task) where the
  // measured trial then ran 0.26 µs a task.
  probe.set_warmup(1);
  probe.set_trials(1);
  PARLAB_RETURN_IF_ERROR(ValidateJob(probe));
  if (progress != nullptr) progress->StartCount(2 * probe_tasks);
  PARLAB_ASSIGN_OR_RETURN(JobOutcome probed, RunJob(probe, nullptr, progress));
  const double per_task_s = std::max(1e-9, static_cast<double>(probed.trial_wall_ns.front()) *
                                               1e-9 / static_cast<double>(probe_tasks));
  const int64_t workers = std::max(1, job.workers());
  auto tasks = static_cast<int64_t>(budget_s / (1 + trials) / per_task_s);
  tasks = std::clamp<int64_t>(tasks, probe_tasks, max_tasks);
  tasks = (tasks + workers - 1) / workers * workers;
  job.set_tasks(tasks);
  job.set_warmup(1);
  job.set_trials(trials);
  PARLAB_RETURN_IF_ERROR(ValidateJob(job));
  if (progress != nullptr) progress->AddTotal((1 + trials) * tasks);
  return RunJob(job, nullptr, progress);
}

}  // namespace parlab
