#include "coordinator/runtime/job_runner.h"

#include <algorithm>
#include <cmath>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/checksums.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/record_sink.h"
#include "shared/clock.h"

namespace parlab {
JobSession::JobSession(std::unique_ptr<Mode> mode, RecordSink* log, const pb::JobSpec& job)
    : mode_(std::move(mode)), log_(log) {
  outcome_.job = job;
}

JobSession::~JobSession() {
  if (mode_ != nullptr) mode_->Stop();
}

Result<std::unique_ptr<JobSession>> JobSession::Start(const pb::JobSpec& job, RecordSink* log) {
  PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<Mode> made, MakeMode(job));
  std::unique_ptr<JobSession> session(new JobSession(std::move(made), log, job));
  const int64_t start_ns = NowNs();
  PARLAB_RETURN_IF_ERROR(session->mode_->Start());
  session->outcome_.startup_ns = NowNs() - start_ns;
  session->outcome_.places = session->mode_->Places();
  if (log != nullptr && !session->outcome_.places.empty()) {
    PARLAB_RETURN_IF_ERROR(log->SetPlaces(session->outcome_.places));
  }
  session->outcome_.records.reserve(static_cast<size_t>(job.tasks() * job.trials()));
  return session;
}

Result<bool> JobSession::RunNextTrial() {
  const pb::JobSpec& job = outcome_.job;
  const bool warmup = warmups_done_ < job.warmup();
  if (!warmup && trials_done_ >= job.trials()) return false;
  const int32_t trial = warmup ? -1 - warmups_done_ : trials_done_;
  PARLAB_ASSIGN_OR_RETURN(TrialRun run, mode_->RunTrial(trial, next_id_));
  if (log_ != nullptr) PARLAB_RETURN_IF_ERROR(log_->Append(run.records));
  next_id_ += static_cast<uint64_t>(job.tasks());
  if (warmup) {
    ++warmups_done_;
  } else {
    ++trials_done_;
    outcome_.trial_wall_ns.push_back(run.wall_ns);
    outcome_.records.insert(outcome_.records.end(), run.records.begin(), run.records.end());
  }
  return true;
}

Result<JobOutcome> JobSession::Finish() {
  mode_->Stop();
  outcome_.notes = mode_->Notes();
  if (!outcome_.places.empty()) {
    outcome_.places = mode_->Places();  // with the clock estimates taken at the end
    if (log_ != nullptr) PARLAB_RETURN_IF_ERROR(log_->SetPlaces(outcome_.places));
  }
  PARLAB_RETURN_IF_ERROR(
      CheckChecksums(outcome_.records, static_cast<uint64_t>(outcome_.job.task_kernels_size())));
  return std::move(outcome_);
}

Result<JobOutcome> RunJob(const pb::JobSpec& job, RecordSink* log, Progress* progress) {
  PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<JobSession> session, JobSession::Start(job, log));
  for (;;) {
    PARLAB_ASSIGN_OR_RETURN(bool ran, (session)->RunNextTrial());
    if (!ran) break;
    if (progress != nullptr) progress->AddDone(job.tasks());
  }
  return (session)->Finish();
}

Result<int64_t> CalibrateTasks(const pb::JobSpec& job, double target_s) {
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(job.kernel(), 1));
  KernelContext context;
  TaskRecord record;
  task.Run(0, context, record);  // warm caches and lazy set-up
  task.Run(0, context, record);
  const double task_s = std::max(
      1e-9, static_cast<double>(record.t.compute_end_ns - record.t.compute_start_ns) * 1e-9);
  const int64_t units = std::max(1, ParallelUnits(job));
  const int64_t workers = std::max(1, job.workers());
  int64_t tasks = static_cast<int64_t>(std::ceil(target_s / task_s));
  tasks = std::clamp<int64_t>(tasks, 2 * std::max(units, workers), 20000);
  tasks = (tasks + workers - 1) / workers * workers;
  return tasks;
}

}  // namespace parlab
