#include "coordinator/runtime/thread_pool_mode.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "coordinator/runtime/segment_size.h"
#include "coordinator/runtime/wait_setting.h"
#include "shared/clock.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

// How often a trial's thread counts claimed tasks for the progress line: a
// terminal needs no more, and each look wakes the coordinator once.
constexpr int64_t kProgressEveryNs = 10'000'000;

}  // namespace

ThreadPoolMode::ThreadPoolMode(pb::JobSpec job, bool use_global_lock)
    : job_(std::move(job)),
      workers_(std::max(1, job_.workers())),
      // Here, not in Start: measuring the wake-up cost is not the pool's start-up.
      wait_setting_(WaitSettingFor(job_)) {
  if (use_global_lock) {
    const auto interval =
        std::chrono::microseconds(static_cast<int64_t>(job_.switch_interval_ms() * 1000.0));
    lock_ = std::make_unique<GlobalLock>(interval);
  }
}

ThreadPoolMode::~ThreadPoolMode() { Stop(); }

Status ThreadPoolMode::Start() {
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(job_, workers_));
  task_.emplace(std::move(task));
  const WaitPolicy policy = FromProto(job_.wait());
  const WaitSetting& setting = wait_setting_;
  learner_.emplace(policy, setting);
  // Room for an even share and some: a lane grows (amortized) only when its
  // thread takes far more than its share, and keeps the room for later trials.
  const auto tasks = static_cast<uint64_t>(std::max<int64_t>(1, job_.tasks()));
  const uint64_t share = tasks / static_cast<uint64_t>(workers_) + tasks / 8 + 64;
  lanes_ = std::vector<Lane>(static_cast<size_t>(workers_));
  for (Lane& lane : lanes_) {
    lane.records.reserve(std::min(share, tasks));
    lane.learner.emplace(policy, setting);
  }
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this, i] { ThreadMain(i); });
  // Start-up ends when every thread waits for work, so it is measured whole.
  AwaitAllLeft();
  return Status::Ok();
}

void ThreadPoolMode::AwaitAllLeft() {
  for (;;) {
    const uint32_t key = closed_.Key();
    if (left_.load(std::memory_order_acquire) == workers_) return;
    closed_.Wait(key, learner_->Next());
  }
}

void ThreadPoolMode::Stop() {
  if (threads_.empty()) return;
  plan_.stop = true;  // every thread waits on opened_ (Start and RunTrial end so)
  opened_.Notify();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

Result<TrialRun> ThreadPoolMode::RunTrial(int32_t trial, uint64_t first_id) {
  const auto tasks = static_cast<uint64_t>(job_.tasks());
  plan_.trial = trial;
  plan_.first_id = first_id;
  plan_.chunk = static_cast<uint64_t>(ChunkFor(job_));
  claims_.Reset(tasks);
  left_.store(0, std::memory_order_relaxed);  // published by Notify's release
  const WaitDecision decision = learner_->Next();
  const int64_t start_ns = NowNs();
  plan_.opened_ns = start_ns;
  opened_.Notify();
  // With a progress line to move, wake every kProgressEveryNs to count the
  // tasks claimed so far; else sleep until the trial's last thread leaves.
  const int64_t timeout_ns = has_listener() ? kProgressEveryNs : -1;
  uint64_t reported = 0;
  for (;;) {
    const uint32_t key = closed_.Key();
    if (left_.load(std::memory_order_acquire) == workers_) break;
    if (closed_.Wait(key, decision, timeout_ns)) continue;
    const uint64_t claimed = claims_.claimed();
    if (claimed > reported) TasksDone(static_cast<int64_t>(claimed - reported));
    reported = std::max(reported, claimed);
  }
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  if (tasks > reported) TasksDone(static_cast<int64_t>(tasks - reported));
  learner_->Observe(run.wall_ns);
  // By slot, as the procs mode returns them.
  run.records.resize(tasks);
  for (const Lane& lane : lanes_) {
    for (const TaskRecord& record : lane.records) run.records[record.id - first_id] = record;
  }
  return run;
}

void ThreadPoolMode::RunOne(int index, TaskRecord& record) {
  KernelContext context;  // one thread per task: parallelism comes from the pool
  if (lock_ == nullptr) {
    record.t.decoded_ns = record.t.dequeued_ns;  // nothing to decode in-process
    task_->Run(index, context, record);
    record.t.result_enqueued_ns = record.t.compute_end_ns;  // the record is in place
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
  record.t.result_enqueued_ns = NowNs();
}

void ThreadPoolMode::RunClaims(int index, Lane& lane) {
  lane.records.clear();  // keeps its room
  const Plan& plan = plan_;
  while (std::optional<TaskClaims::Range> range = claims_.Claim(plan.chunk)) {
    int64_t taken_ns = NowNs();
    for (uint64_t slot = range->begin; slot < range->end; ++slot) {
      TaskRecord& record = lane.records.emplace_back();
      record.id = plan.first_id + slot;
      record.trial = plan.trial;
      record.worker = index;
      record.t.submit_ns = plan.opened_ns;
      record.t.enqueued_ns = plan.opened_ns;
      record.t.dequeued_ns = taken_ns;  // in a chunk: when the task before it ended
      RunOne(index, record);
      record.t.result_dequeued_ns = record.t.result_enqueued_ns;
      taken_ns = record.t.result_enqueued_ns;
    }
  }
}

void ThreadPoolMode::LeaveTrial() {
  if (left_.fetch_add(1, std::memory_order_acq_rel) + 1 == workers_) closed_.Notify();
}

void ThreadPoolMode::ThreadMain(int index) {
  Lane& lane = lanes_[static_cast<size_t>(index)];
  // Read before we count ourselves in: the first trial opens after that.
  uint32_t key = opened_.Key();
  LeaveTrial();
  for (;;) {
    const int64_t wait_start_ns = NowNs();
    opened_.Wait(key, lane.learner->Next());
    lane.learner->Observe(NowNs() - wait_start_ns);
    key = opened_.Key();  // exactly one Notify: the coordinator waits for us before the next
    if (plan_.stop) return;
    RunClaims(index, lane);
    LeaveTrial();
  }
}

std::vector<std::string> ThreadPoolMode::Notes() const {
  std::vector<std::string> notes;
  if (lock_ != nullptr) {
    notes.push_back("global lock: " + std::to_string(lock_->switches()) + " hand-overs, " +
                    std::to_string(lock_->forced_drops()) + " forced by the switch interval");
  }
  if (learner_) {
    notes.push_back("threads claim " + std::to_string(ChunkFor(job_)) +
                    " task(s) at a time from one lock-free counter; between trials, threads " +
                    (lanes_.empty() ? std::string() : lanes_.front().learner->Describe()));
    notes.push_back("coordinator " + learner_->Describe());
  }
  return notes;
}

}  // namespace parlab
