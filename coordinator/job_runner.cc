#include "coordinator/job_runner.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "coordinator/job_spec.h"
#include "coordinator/local_task.h"
#include "coordinator/log_writer.h"
#include "coordinator/mode.h"
#include "shared/clock.h"

namespace parlab {
namespace {

// Tasks of one job all get the same input, so their checksums agree up to
// floating-point reassociation. A mismatch means a wrong answer somewhere.
Status CheckChecksums(const std::vector<TaskRecord>& records) {
  if (records.empty()) return Status::Ok();
  const double reference = records.front().checksum;
  for (const TaskRecord& record : records) {
    if (record.outcome != TaskOutcome::kOk) continue;
    const double tolerance = 1e-9 * std::max(1.0, std::abs(reference));
    if (!(std::abs(record.checksum - reference) <= tolerance)) {
      std::ostringstream out;
      out.precision(17);
      out << "task " << record.id << " computed checksum " << record.checksum << " but task "
          << records.front().id << " computed " << reference << ": a wrong answer";
      return Internal(out.str());
    }
  }
  return Status::Ok();
}

}  // namespace

Result<JobOutcome> RunJob(const pb::JobSpec& job, LogWriter* log) {
  Result<std::unique_ptr<Mode>> made = MakeMode(job);
  if (!made.ok()) return made.status();
  Mode& mode = **made;

  JobOutcome outcome;
  outcome.job = job;
  const int64_t start_ns = NowNs();
  PARLAB_RETURN_IF_ERROR(mode.Start());
  outcome.startup_ns = NowNs() - start_ns;

  const auto tasks = static_cast<uint64_t>(job.tasks());
  uint64_t next_id = 0;
  for (int32_t w = 0; w < job.warmup(); ++w) {
    Result<TrialRun> run = mode.RunTrial(-1 - w, next_id);
    if (!run.ok()) return run.status();
    if (log != nullptr) PARLAB_RETURN_IF_ERROR(log->Append(run->records));
    next_id += tasks;
  }
  outcome.records.reserve(tasks * static_cast<uint64_t>(job.trials()));
  for (int32_t trial = 0; trial < job.trials(); ++trial) {
    Result<TrialRun> run = mode.RunTrial(trial, next_id);
    if (!run.ok()) return run.status();
    if (log != nullptr) PARLAB_RETURN_IF_ERROR(log->Append(run->records));
    next_id += tasks;
    outcome.trial_wall_ns.push_back(run->wall_ns);
    outcome.records.insert(outcome.records.end(), run->records.begin(), run->records.end());
  }
  mode.Stop();
  outcome.notes = mode.Notes();
  PARLAB_RETURN_IF_ERROR(CheckChecksums(outcome.records));
  return outcome;
}

Result<int64_t> CalibrateTasks(const pb::JobSpec& job, double target_s) {
  Result<LocalTask> task = LocalTask::Prepare(job.kernel(), 1);
  if (!task.ok()) return task.status();
  KernelContext context;
  TaskRecord record;
  task->Run(0, context, record);  // warm caches and lazy set-up
  task->Run(0, context, record);
  const double task_s =
      std::max(1e-9, static_cast<double>(record.t.compute_end_ns - record.t.compute_start_ns) * 1e-9);
  const int64_t units = std::max(1, ParallelUnits(job));
  const int64_t workers = std::max(1, job.workers());
  int64_t tasks = static_cast<int64_t>(std::ceil(target_s / task_s));
  tasks = std::clamp<int64_t>(tasks, 2 * std::max(units, workers), 20000);
  tasks = (tasks + workers - 1) / workers * workers;
  return tasks;
}

}  // namespace parlab
