#include "coordinator/runtime/sequential_mode.h"

#include <utility>

#include "shared/clock.h"

namespace parlab {

SequentialMode::SequentialMode(pb::JobSpec job, int threads_per_task)
    : job_(std::move(job)), threads_per_task_(threads_per_task) {}

Status SequentialMode::Start() {
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(job_, /*executors=*/1));
  task_.emplace(std::move(task));
  return Status::Ok();
}

Result<TrialRun> SequentialMode::RunTrial(int32_t trial, uint64_t first_id) {
  TrialRun run;
  const auto tasks = static_cast<size_t>(job_.tasks());
  run.records.resize(tasks);
  KernelContext context;
  context.threads = threads_per_task_;
  const int64_t start_ns = NowNs();
  for (size_t i = 0; i < tasks; ++i) {
    TaskRecord& record = run.records[i];
    record.id = first_id + i;
    record.trial = trial;
    // No queue, no messages: every communication stamp equals the one before.
    const int64_t now_ns = NowNs();
    record.t.submit_ns = record.t.enqueued_ns = record.t.dequeued_ns = record.t.decoded_ns = now_ns;
    task_->Run(0, context, record);
    record.t.result_enqueued_ns = record.t.result_dequeued_ns = NowNs();
    TasksDone(1);
  }
  run.wall_ns = NowNs() - start_ns;
  return run;
}

}  // namespace parlab
