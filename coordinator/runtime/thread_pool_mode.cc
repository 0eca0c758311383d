#include "coordinator/runtime/thread_pool_mode.h"

#include <chrono>
#include <utility>

#include "shared/clock.h"

namespace parlab {

ThreadPoolMode::ThreadPoolMode(pb::JobSpec job, bool use_global_lock) : job_(std::move(job)) {
  if (use_global_lock) {
    const auto interval =
        std::chrono::microseconds(static_cast<int64_t>(job_.switch_interval_ms() * 1000.0));
    lock_ = std::make_unique<GlobalLock>(interval);
  }
}

ThreadPoolMode::~ThreadPoolMode() { Stop(); }

Status ThreadPoolMode::Start() {
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(job_, job_.workers()));
  task_.emplace(std::move(task));
  for (int i = 0; i < job_.workers(); ++i) slots_.push_back(std::make_unique<Slot>());
  for (int i = 0; i < job_.workers(); ++i) threads_.emplace_back([this, i] { ThreadMain(i); });
  // Start-up ends when every thread waits for work, so it is measured whole.
  std::unique_lock<std::mutex> guard(done_mutex_);
  done_ready_.wait(guard, [&] { return started_ == job_.workers(); });
  return Status::Ok();
}

void ThreadPoolMode::Stop() {
  for (auto& slot : slots_) {
    std::lock_guard<std::mutex> guard(slot->mutex);
    slot->stop = true;
    slot->ready.notify_one();
  }
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  slots_.clear();
}

void ThreadPoolMode::Assign(int index, TaskRecord record) {
  Slot& slot = *slots_[static_cast<size_t>(index)];
  record.worker = index;
  record.t.submit_ns = NowNs();
  {
    std::lock_guard<std::mutex> guard(slot.mutex);
    record.t.enqueued_ns = NowNs();
    slot.queue.push_back(record);
  }
  slot.ready.notify_one();
}

Result<TrialRun> ThreadPoolMode::RunTrial(int32_t trial, uint64_t first_id) {
  TrialRun run;
  const auto tasks = static_cast<uint64_t>(job_.tasks());
  run.records.reserve(tasks);
  std::vector<TaskRecord> collected;
  collected.reserve(static_cast<size_t>(job_.workers() * job_.inflight()));
  uint64_t next = 0;
  auto next_record = [&] {
    TaskRecord record;
    record.id = first_id + next++;
    record.trial = trial;
    return record;
  };
  const int64_t start_ns = NowNs();
  for (int credit = 0; credit < job_.inflight(); ++credit) {
    for (int w = 0; w < job_.workers() && next < tasks; ++w) Assign(w, next_record());
  }
  while (run.records.size() < tasks) {
    {
      std::unique_lock<std::mutex> guard(done_mutex_);
      done_ready_.wait(guard, [&] { return !done_.empty(); });
      collected.swap(done_);
    }
    const int64_t now_ns = NowNs();
    for (TaskRecord& record : collected) {
      record.t.result_dequeued_ns = now_ns;
      const int worker = record.worker;
      run.records.push_back(record);
      if (next < tasks) Assign(worker, next_record());  // the credit returns to that worker
    }
    TasksDone(static_cast<int64_t>(collected.size()));
    collected.clear();
  }
  run.wall_ns = NowNs() - start_ns;
  return run;
}

void ThreadPoolMode::RunOne(int index, TaskRecord& record) {
  KernelContext context;  // one thread per task: parallelism comes from the pool
  if (lock_ == nullptr) {
    record.t.decoded_ns = NowNs();
    task_->Run(index, context, record);
    return;
  }
  // As in CPython: the thread needs the lock to run Python code at all; the
  // wait for it is stamped as this task's "decode" phase.
  lock_->Take();
  record.t.decoded_ns = NowNs();
  if (task_->kernel().ReleasesGlobalLock()) {
    lock_->Drop();  // Py_BEGIN_ALLOW_THREADS around the C call or the wait
    task_->Run(index, context, record);
    lock_->Take();  // Py_END_ALLOW_THREADS: back to Python to hand the result over
  } else {
    GlobalLockHooksImpl hooks(*lock_);
    context.lock = &hooks;
    task_->Run(index, context, record);
  }
  lock_->Drop();
}

void ThreadPoolMode::ThreadMain(int index) {
  Slot& slot = *slots_[static_cast<size_t>(index)];
  {
    std::lock_guard<std::mutex> guard(done_mutex_);
    ++started_;
  }
  done_ready_.notify_one();
  for (;;) {
    TaskRecord record;
    {
      std::unique_lock<std::mutex> guard(slot.mutex);
      slot.ready.wait(guard, [&] { return slot.stop || !slot.queue.empty(); });
      if (slot.stop) return;
      record = slot.queue.front();
      slot.queue.pop_front();
    }
    record.t.dequeued_ns = NowNs();
    RunOne(index, record);
    {
      std::lock_guard<std::mutex> guard(done_mutex_);
      record.t.result_enqueued_ns = NowNs();
      done_.push_back(record);
    }
    done_ready_.notify_one();
  }
}

std::vector<std::string> ThreadPoolMode::Notes() const {
  if (lock_ == nullptr) return {};
  return {"global lock: " + std::to_string(lock_->switches()) + " hand-overs, " +
          std::to_string(lock_->forced_drops()) + " forced by the switch interval"};
}

}  // namespace parlab
