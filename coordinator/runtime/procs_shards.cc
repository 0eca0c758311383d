// ProcsMode's dispatch shards (--dispatchers D > 1): D threads, each running
// the trial loop of procs_mode.cc for its own contiguous group of workers,
// while the coordinator's thread watches (procs_mode.h says why).
//
// Protocol between the threads:
//   - A worker, its channel (credits, frames in flight), its rings and the
//     ledger slots it holds are touched by its shard's thread only while the
//     shards run; fresh slots come from the ledger's atomic cursor, requeued
//     ones from under its lock (task_ledger.h).
//   - A shard's thread ends its loop when its group has nothing in flight and
//     the ledger nothing to send, when it fails, when one of its workers said
//     something wrong (OnCorrupt), or when stop_shards_ is set; the first three
//     tell the coordinator's thread through watch_mutex_/watch_.
//   - The coordinator's thread changes nothing a shard uses while shards run:
//     it polls the control plane (the pool's sockets and signals) and reads
//     the workers' boards (atomics) for --task-timeout. To replace a worker it
//     stops and joins every shard first (the join orders their writes before
//     its reads), so Replace, the ledger's WorkerLost and the fork of the
//     replacement run with no other thread in the process, as they do with
//     one dispatcher.
#include <algorithm>
#include <chrono>
#include <utility>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/procs_mode.h"
#include "shared/clock.h"

namespace parlab {
namespace {

// How often the coordinator's thread looks at the control plane and the
// clock while shards run: as often as the single loop does (kSuperviseNs).
constexpr auto kWatchPeriod = std::chrono::milliseconds(1);

}  // namespace

Status ProcsMode::PlanShards() {
  const int workers = job_.workers();
  const int shards = std::clamp(DispatchersFor(job_), 1, std::max(1, workers));
  dispatch_.clear();
  shard_of_.assign(static_cast<size_t>(workers), 0);
  for (int s = 0; s < shards; ++s) dispatch_.push_back(std::make_unique<Dispatch>());
  // Contiguous groups, sizes differing by one at most: worker w goes to
  // shard w × D / W.
  for (int w = 0; w < workers; ++w) {
    const int shard = static_cast<int>(static_cast<int64_t>(w) * shards / workers);
    shard_of_[static_cast<size_t>(w)] = shard;
    dispatch_[static_cast<size_t>(shard)]->workers.push_back(w);
  }
  return transport_->SetShards(shard_of_, shards);
}

Status ProcsMode::RunShards(TaskLedger& ledger) {
  for (;;) {
    StartShards(ledger);
    Status watched = WatchShards();
    StopShards(ledger);
    PARLAB_RETURN_IF_ERROR(watched);
    if (!shard_error_.ok()) return std::exchange(shard_error_, Status::Ok());
    if (ledger.Complete()) return Status::Ok();
    if (shards_finished_ && corrupt_.empty()) {
      // Every shard ended with nothing in flight and nothing to send, yet
      // tasks are unsettled: the books are wrong. Say so rather than spin.
      return Internal("dispatch shards ended with tasks unsettled and none to send");
    }
    // A worker to replace: as the single loop does, with no shard running.
    PARLAB_RETURN_IF_ERROR(ReplaceCorrupt(ledger));
    std::vector<WorkerExit> exits = std::move(exits_);
    exits_.clear();
    for (const WorkerExit& exit : exits) {
      PARLAB_RETURN_IF_ERROR(Replace(exit, TaskOutcome::kWorkerDied, ledger));
    }
    PARLAB_RETURN_IF_ERROR(Supervise(ledger));
  }
}

void ProcsMode::StartShards(TaskLedger& ledger) {
  stop_shards_.store(false, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(watch_mutex_);
    shards_running_ = static_cast<int>(dispatch_.size());
    attention_ = false;
  }
  for (const std::unique_ptr<Dispatch>& dispatch : dispatch_) dispatch->corrupt = false;
  for (size_t s = 0; s < dispatch_.size(); ++s) {
    shard_threads_.emplace_back(&ProcsMode::ShardLoop, this, static_cast<int>(s), std::ref(ledger));
  }
}

void ProcsMode::ShardLoop(int shard, TaskLedger& ledger) {
  Dispatch& dispatch = *dispatch_[static_cast<size_t>(shard)];
  Status status = RunShard(dispatch, shard, ledger);
  std::lock_guard<std::mutex> lock(watch_mutex_);
  if (!status.ok()) {
    if (shard_error_.ok()) shard_error_ = std::move(status);
    attention_ = true;
  }
  if (dispatch.corrupt) attention_ = true;
  --shards_running_;
  watch_.notify_one();
}

Status ProcsMode::RunShard(Dispatch& dispatch, int shard, TaskLedger& ledger) {
  int64_t idle_since_ns = 0;
  while (!stop_shards_.load(std::memory_order_relaxed)) {
    PARLAB_ASSIGN_OR_RETURN(const bool sent, SendRounds(ledger, dispatch));
    PARLAB_ASSIGN_OR_RETURN(int frames, transport_->CollectShard(shard));
    if (dispatch.corrupt) return Status::Ok();  // the coordinator replaces that worker
    if (dispatch.frames_in_flight == 0 && !HasWork(ledger, dispatch)) {
      return Status::Ok();  // its part of the trial is done
    }
    if (frames > 0 || sent) {
      idle_since_ns = 0;
      continue;
    }
    // The wait began after the last busy round's stamp, a few ns ago.
    if (idle_since_ns == 0) idle_since_ns = dispatch.last_stamp_ns;
    PARLAB_ASSIGN_OR_RETURN(bool slept, transport_->WaitShard(shard, idle_since_ns));
    (void)slept;  // the coordinator's thread looks at the control plane, not this one
  }
  return Status::Ok();
}

Status ProcsMode::WatchShards() {
  shards_finished_ = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(watch_mutex_);
      if (watch_.wait_for(lock, kWatchPeriod,
                          [this] { return attention_ || shards_running_ == 0; })) {
        shards_finished_ = !attention_;  // all of them, their part done
        return Status::Ok();
      }
    }
    TellTasksDone();
    if (Status polled = pool_->Poll(); !polled.ok()) {
      return transport_->OnControlFailure(std::move(polled));
    }
    for (WorkerExit& exit : pool_->TakeExits()) exits_.push_back(std::move(exit));
    if (!exits_.empty() || AnyTaskTimedOut()) return Status::Ok();
  }
}

void ProcsMode::StopShards(TaskLedger& ledger) {
  stop_shards_.store(true, std::memory_order_relaxed);
  transport_->WakeShards();  // a sleeping shard sees the stop at once
  for (std::thread& thread : shard_threads_) thread.join();
  shard_threads_.clear();
  for (const std::unique_ptr<Dispatch>& dispatch : dispatch_) {
    if (dispatch->block_next < dispatch->block_end) {
      ledger.Unclaim(dispatch->block_next, dispatch->block_end - dispatch->block_next);
    }
    dispatch->block_next = dispatch->block_end = 0;
    answers_since_death_ += std::exchange(dispatch->answers, 0);
  }
  TellTasksDone();
}

void ProcsMode::TellTasksDone() {
  int64_t done = 0;
  for (const std::unique_ptr<Dispatch>& dispatch : dispatch_) {
    const int64_t total = dispatch->tasks_done.load(std::memory_order_relaxed);
    done += total - dispatch->tasks_done_told;
    dispatch->tasks_done_told = total;
  }
  if (done > 0) TasksDone(done);
}

bool ProcsMode::AnyTaskTimedOut() const {
  if (job_.task_timeout_ms() <= 0 || !transport_->KnowsRunningTask()) return false;
  const int64_t now_ns = NowNs();
  const int64_t timeout_ns = job_.task_timeout_ms() * 1'000'000;
  for (int w = 0; w < job_.workers(); ++w) {
    const std::optional<RunningTask> running = transport_->RunningTaskOf(w);
    if (running && now_ns - running->started_ns > timeout_ns) return true;
  }
  return false;
}

}  // namespace parlab
