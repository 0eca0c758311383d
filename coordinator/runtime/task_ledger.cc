#include "coordinator/runtime/task_ledger.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace parlab {

TaskLedger::TaskLedger(int32_t trial, uint64_t first_id, uint64_t tasks, int workers,
                       int max_attempts)
    : trial_(trial),
      first_id_(first_id),
      tasks_(tasks),
      max_attempts_(max_attempts < 1 ? 1 : max_attempts),
      records_(tasks),
      owner_(tasks, kNobody),
      frame_(tasks, 0),
      settled_flag_(tasks, 0),
      charges_(tasks, 0),
      held_(static_cast<size_t>(workers)) {
  settled_.resize(1);
  for (uint64_t slot = 0; slot < tasks; ++slot) {
    records_[slot].id = first_id + slot;
    records_[slot].trial = trial;
    records_[slot].attempt = 0;
  }
}

void TaskLedger::SetShards(const std::vector<int>& shard_of_worker, int shards) {
  shard_of_ = shard_of_worker;
  settled_.assign(static_cast<size_t>(shards < 1 ? 1 : shards), Own<uint64_t>{});
}

uint64_t TaskLedger::Take(int worker, int64_t submit_ns, uint64_t frame) {
  std::optional<uint64_t> slot = TakeRequeued();
  if (!slot) {
    uint64_t first = 0;
    [[maybe_unused]] const uint64_t claimed = ClaimFresh(1, 1, &first);
    assert(claimed == 1);  // precondition: HasWork()
    slot = first;
  }
  Assign(*slot, worker, submit_ns, frame);
  return *slot;
}

uint64_t TaskLedger::ClaimFresh(uint64_t most, uint64_t share, uint64_t* first) {
  // A compare-and-swap, not a fetch_add, so the cursor never passes tasks_:
  // StopFresh and WorkerLost read it as "the slots claimed so far".
  uint64_t next = next_fresh_.load(std::memory_order_relaxed);
  uint64_t count = 0;
  do {
    if (next >= tasks_) return 0;
    count = std::max<uint64_t>(1, std::min(most, (tasks_ - next) / std::max<uint64_t>(1, share)));
  } while (!next_fresh_.compare_exchange_weak(next, next + count, std::memory_order_relaxed));
  *first = next;
  return count;
}

std::optional<uint64_t> TaskLedger::TakeRequeued() {
  // Requeues are rare (a worker died): the lock is taken only when there are some.
  if (requeued_count_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(requeued_mutex_);
  if (requeued_.empty()) return std::nullopt;
  const uint64_t slot = requeued_.front();
  requeued_.pop_front();
  requeued_count_.store(requeued_.size(), std::memory_order_relaxed);
  return slot;
}

void TaskLedger::PushRequeued(uint64_t slot) {
  std::lock_guard<std::mutex> lock(requeued_mutex_);
  requeued_.push_back(slot);
  requeued_count_.store(requeued_.size(), std::memory_order_relaxed);
}

void TaskLedger::Unclaim(uint64_t first, uint64_t count) {
  for (uint64_t slot = first; slot < first + count; ++slot) PushRequeued(slot);
}

void TaskLedger::Assign(uint64_t slot, int worker, int64_t submit_ns, uint64_t frame) {
  TaskRecord& record = records_[slot];
  record.worker = worker;
  ++record.attempt;
  record.t = TaskStamps{};
  record.t.submit_ns = submit_ns;
  owner_[slot] = worker;
  frame_[slot] = frame;
  ++held(worker).value;
}

uint64_t TaskLedger::Settled() const {
  uint64_t settled = 0;
  for (const Own<uint64_t>& count : settled_) settled += count.value;
  return settled;
}

void TaskLedger::Settle(uint64_t slot, const TaskAnswer* answer) {
  const int32_t owner = owner_[slot];
  size_t shard = 0;
  if (owner != kNobody) {
    --held(owner).value;
    if (!shard_of_.empty()) shard = static_cast<size_t>(shard_of_[static_cast<size_t>(owner)]);
  }
  owner_[slot] = kNobody;
  settled_flag_[slot] = 1;
  ++settled_[shard].value;
  if (feed_ != nullptr) feed_->Settled(slot, records_[slot], answer);
}

void TaskLedger::Grow(uint64_t tasks) {
  if (tasks <= tasks_) return;
  records_.resize(tasks);
  owner_.resize(tasks, kNobody);
  frame_.resize(tasks, 0);
  settled_flag_.resize(tasks, 0);
  charges_.resize(tasks, 0);
  for (uint64_t slot = tasks_; slot < tasks; ++slot) {
    records_[slot].id = first_id_ + slot;
    records_[slot].trial = trial_;
    records_[slot].attempt = 0;
  }
  tasks_ = tasks;
}

void TaskLedger::PullFeed() {
  if (feed_ == nullptr || !open_) return;
  Grow(feed_->Known());
  if (feed_->Closed()) {
    Grow(feed_->Known());  // what came in before it closed
    open_ = false;
  }
}

void TaskLedger::StopFresh() {
  open_ = false;
  tasks_ = next_fresh_.load(std::memory_order_relaxed);
  while (std::optional<uint64_t> slot = TakeRequeued()) {
    records_[*slot].outcome = TaskOutcome::kFailed;
    Settle(*slot);
  }
}

Status TaskLedger::Answer(int worker, const TaskAnswer& answer, int64_t dequeued_ns) {
  // The messages are built only on the way out: this runs once per task.
  if (answer.id < first_id_ || answer.id - first_id_ >= tasks_) {
    return Internal("worker " + std::to_string(worker) + " answered task " +
                    std::to_string(answer.id) + ", which is not in this trial");
  }
  const uint64_t slot = answer.id - first_id_;
  if (settled_flag_[slot]) return Status::Ok();  // at least once: the first answer counts
  if (owner_[slot] != worker) {
    return Internal("worker " + std::to_string(worker) + " answered task " +
                    std::to_string(answer.id) + ", which it does not hold");
  }
  TaskRecord& record = records_[slot];
  if (answer.status != pb::TASK_OK && answer.command != nullptr && record.attempt < max_attempts_) {
    // A command that failed runs again (GNU parallel's --retries); only its
    // last attempt is recorded.
    owner_[slot] = kNobody;
    --held(worker).value;
    PushRequeued(slot);
    return Status::Ok();
  }
  if (answer.status == pb::TASK_OK) {
    record.outcome = TaskOutcome::kOk;
    record.checksum = answer.checksum;
    record.flops = answer.flops;
    record.bytes = answer.bytes;
  } else {
    record.outcome =
        answer.status == pb::TASK_TIMED_OUT ? TaskOutcome::kTimedOut : TaskOutcome::kFailed;
    std::lock_guard<std::mutex> lock(requeued_mutex_);  // shards may fail tasks at once
    if (first_error_.empty()) {
      first_error_ = "task " + std::to_string(answer.id) + " failed: " + std::string(answer.error);
    }
  }
  TaskStamps& t = record.t;
  t.dequeued_ns = answer.dequeued_ns;
  t.decoded_ns = answer.decoded_ns;
  // A task refused before it ran has no compute stamps: its phases measure 0.
  t.compute_start_ns = answer.compute_start_ns > 0 ? answer.compute_start_ns : t.decoded_ns;
  t.compute_end_ns = answer.compute_end_ns > 0 ? answer.compute_end_ns : t.compute_start_ns;
  t.result_enqueued_ns = answer.result_enqueued_ns;
  t.result_dequeued_ns = dequeued_ns;
  if (answer.command != nullptr) {
    t.spawn_ns = answer.command->t_spawn_ns();
    t.spawned_ns = answer.command->t_spawned_ns();
    t.exited_ns = answer.command->t_exited_ns();
  }
  Settle(slot, &answer);
  return Status::Ok();
}

TaskLedger::Loss TaskLedger::WorkerLost(int worker, const Blame& blame, TaskOutcome why,
                                        int signal) {
  Loss loss;
  std::optional<uint64_t> culprit;
  const std::optional<uint64_t>& running_id = blame.running_id;
  if (running_id && *running_id >= first_id_ && *running_id - first_id_ < tasks_ &&
      owner_[*running_id - first_id_] == worker) {
    culprit = *running_id - first_id_;
  }
  // Slot order keeps the requeue deterministic; a death is rare, so scans
  // over the trial are cheaper than a per-worker index kept on the hot path.
  std::optional<uint64_t> culprit_frame;
  const uint64_t claimed = next_fresh_.load(std::memory_order_relaxed);
  for (uint64_t slot = 0; blame.oldest_frame && slot < claimed; ++slot) {
    if (owner_[slot] == worker && (!culprit_frame || frame_[slot] < *culprit_frame)) {
      culprit_frame = frame_[slot];
    }
  }
  for (uint64_t slot = 0; slot < claimed; ++slot) {
    if (owner_[slot] != worker) continue;
    TaskRecord& record = records_[slot];
    record.signal = signal;
    const bool blamed = culprit == slot || culprit_frame == frame_[slot];
    if (blamed && ++charges_[slot] >= max_attempts_) {
      record.outcome = why;
      Settle(slot);
      ++loss.failed;
      continue;
    }
    owner_[slot] = kNobody;
    --held(worker).value;
    PushRequeued(slot);
    ++loss.requeued;
  }
  // Slots already waiting in requeued_ belong to nobody, so none is queued twice.
  return loss;
}

}  // namespace parlab
