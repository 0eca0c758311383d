#include "coordinator/runtime/job_runner.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/checksums.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/record_sink.h"
#include "shared/clock.h"

namespace parlab {
namespace {

// Counts a trial's finished tasks on the progress line, in steps of about a
// hundredth of the trial (a terminal needs no more, and a step costs a clock
// read), and never more than the trial's tasks (retries answer twice).
class TrialProgress final : public TaskDoneListener {
 public:
  TrialProgress(Progress* progress, int64_t tasks)
      : progress_(progress), tasks_(tasks), step_(std::max<int64_t>(1, tasks / 100)) {}
  void TasksDone(int64_t count) override {
    pending_ += count;
    if (pending_ >= step_) Flush();
  }
  // Counts what is left of the trial's tasks: called when the trial ended.
  void Finish() {
    pending_ = tasks_ - counted_;
    Flush();
  }

 private:
  void Flush() {
    const int64_t add = std::min(pending_, tasks_ - counted_);
    pending_ = 0;
    if (add <= 0) return;
    counted_ += add;
    progress_->AddDone(add);
  }

  Progress* progress_;
  const int64_t tasks_;
  const int64_t step_;
  int64_t pending_ = 0;
  int64_t counted_ = 0;
};

}  // namespace

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

Result<bool> JobSession::RunNextTrial(Progress* progress) {
  const pb::JobSpec& job = outcome_.job;
  const bool warmup = warmups_done_ < job.warmup();
  if (!warmup && trials_done_ >= job.trials()) return false;
  const int32_t trial = warmup ? -1 - warmups_done_ : trials_done_;
  std::optional<TrialProgress> counted;
  if (progress != nullptr) counted.emplace(progress, job.tasks());
  mode_->set_listener(counted ? &*counted : nullptr);
  Result<TrialRun> ran = mode_->RunTrial(trial, next_id_);
  mode_->set_listener(nullptr);
  if (!ran.ok()) return ran.status();
  TrialRun run = std::move(ran).value();
  if (counted) counted->Finish();
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
    PARLAB_ASSIGN_OR_RETURN(bool ran, (session)->RunNextTrial(progress));
    if (!ran) break;
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
