#pragma once
// TaskLedger: the bookkeeping of one trial in a worker-process mode — which
// task is with which worker, what came back, what must be sent again.
//
// Delivery is at least once, results exactly once: a task whose worker died
// is requeued (sent again, to any worker), and the first answer for a task id
// is the one that counts. Only the task a worker was running when it died is
// charged an attempt (the tasks queued behind it were innocent) — or, when
// its answer came back corrupt, the tasks of the frame that answer was for;
// a task charged max_attempts times fails with the reason and the signal, and
// the trial goes on without it. A task the kernel refused fails at once: running
// it again would refuse again.
// With a TaskFeed (command tasks) the trial grows as the feed learns of more
// tasks (Grow) and ends once the feed is closed and every task known is
// settled; the feed hears of each settled task at once, and a command that
// failed is run again while it has attempts left.
// Plain bookkeeping, no I/O; one owner (the coordinator's thread) — except
// under dispatch shards (--dispatchers, procs_shards.cc), where several
// threads hand out and settle tasks at once, each for its own group of
// workers (SetShards). Then HasWork, ClaimFresh, TakeRequeued, Assign and
// Answer may run concurrently: fresh ids come from an atomic cursor in
// blocks, requeued ones from under a lock (rare), and a slot is touched only
// by the thread of the worker that holds it; the settled counts and the
// held counts are per shard and per worker, each on its own cache line. Every
// other call runs while no shard thread does (the threads are joined first,
// which orders their writes before it).

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/runtime/task_feed.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_frame.h"
#include "shared/task_record.h"

namespace parlab {

class TaskLedger {
 public:
  TaskLedger(int32_t trial, uint64_t first_id, uint64_t tasks, int workers, int max_attempts);

  // A task waits to be sent: a requeued one or one never sent.
  bool HasWork() const {
    return requeued_count_.load(std::memory_order_relaxed) > 0 ||
           next_fresh_.load(std::memory_order_relaxed) < tasks_;
  }
  // Every task answered or failed (and, with a feed, no more to come).
  bool Complete() const { return !open_ && Settled() == tasks_; }

  // Dispatch shards: worker w is driven by shard_of_worker[w] (0 ≤ it <
  // shards); settled tasks are counted per shard. Before the first Take.
  void SetShards(const std::vector<int>& shard_of_worker, int shards);

  // Takes tasks from `feed` from now on: the trial stays open until
  // PullFeed sees it closed, and each settled task is told to it.
  void set_feed(TaskFeed* feed) {
    feed_ = feed;
    open_ = feed != nullptr;
  }
  // Grows the trial to what the feed knows; closes it when the feed is.
  void PullFeed();
  // No fresh task is handed out any more (--halt): the trial ends with the
  // tasks already sent; requeued ones settle as failed, not run.
  void StopFresh();

  // Hands the next task to `worker` (requeued tasks first) and stamps its
  // submission; `frame` numbers the frame it travels in (frames to one worker
  // are answered in the order they were sent, with increasing numbers).
  // Precondition: HasWork(). Returns its slot (id − first_id).
  uint64_t Take(int worker, int64_t submit_ns, uint64_t frame);

  // Take in two steps, for dispatch shards. ClaimFresh reserves up to `most`
  // fresh slots, and no more than the unclaimed ones / `share` (but at least
  // one), [*first, *first + n), and returns n (0: none left); they are
  // nobody's until assigned. TakeRequeued pops a requeued slot. Assign
  // hands a claimed or requeued slot to `worker`, as Take does. Unclaim
  // returns claimed slots never assigned: they wait as requeued ones do.
  uint64_t ClaimFresh(uint64_t most, uint64_t share, uint64_t* first);
  std::optional<uint64_t> TakeRequeued();
  void Assign(uint64_t slot, int worker, int64_t submit_ns, uint64_t frame);
  void Unclaim(uint64_t first, uint64_t count);

  // An answer from `worker`, taken off its channel at dequeued_ns. Errors
  // when the answer cannot be right (a task of another trial, or one this
  // worker does not hold): a worker that says such things is not to be
  // trusted further.
  Status Answer(int worker, const TaskAnswer& answer, int64_t dequeued_ns);

  struct Loss {
    int requeued = 0;  // tasks the worker held, to be sent again
    int failed = 0;    // the task it was running, out of attempts
  };
  // Which of a lost worker's tasks are to blame, and charged an attempt.
  struct Blame {
    std::optional<uint64_t> running_id;  // the task it was running, when known
    bool oldest_frame = false;  // the tasks of its oldest unanswered frame (its answer was corrupt)
  };
  // `worker` is gone (killed, exited, timed out, silent, corrupt). The blamed
  // tasks are charged; `why` and `signal` go into the record of one that runs
  // out of attempts. The others it held are requeued.
  Loss WorkerLost(int worker, const Blame& blame, TaskOutcome why, int signal);

  TaskRecord& record(uint64_t slot) { return records_[slot]; }
  uint64_t id(uint64_t slot) const { return first_id_ + slot; }
  int held_by(int worker) const { return held_[static_cast<size_t>(worker)].value; }
  uint64_t tasks() const { return tasks_; }
  // The first kernel error of the trial, for the report ("" if none).
  const std::string& first_error() const { return first_error_; }
  // The records, by slot. The ledger is spent afterwards.
  std::vector<TaskRecord> TakeRecords() { return std::move(records_); }

 private:
  static constexpr int32_t kNobody = -1;
  // A count written by one thread, on a cache line of its own.
  template <typename T>
  struct alignas(64) Own {
    T value{};
  };

  void Settle(uint64_t slot, const TaskAnswer* answer = nullptr);
  void Grow(uint64_t tasks);
  void PushRequeued(uint64_t slot);
  uint64_t Settled() const;
  Own<int>& held(int worker) { return held_[static_cast<size_t>(worker)]; }

  int32_t trial_;
  uint64_t first_id_;
  uint64_t tasks_;
  int max_attempts_;
  // Slots below it were claimed (sent at least once, or claimed by a shard);
  // never above tasks_. Its own line: shards claim from it.
  alignas(64) std::atomic<uint64_t> next_fresh_{0};
  alignas(64) std::atomic<uint64_t> requeued_count_{0};  // requeued_.size(), read without the lock
  std::mutex requeued_mutex_;                            // requeued_ and first_error_
  std::deque<uint64_t> requeued_;
  std::vector<Own<uint64_t>> settled_;  // by shard: tasks settled by its workers
  std::vector<int> shard_of_;           // by worker; empty: one shard
  std::vector<TaskRecord> records_;     // by slot
  std::vector<int32_t> owner_;          // by slot: the worker holding it, or kNobody
  std::vector<uint64_t> frame_;         // by slot: the frame it was last sent in
  std::vector<uint8_t> settled_flag_;
  std::vector<int32_t> charges_;  // by slot: deaths while it was running
  std::vector<Own<int>> held_;    // by worker: tasks it holds
  std::string first_error_;
  TaskFeed* feed_ = nullptr;
  bool open_ = false;  // a feed may still bring tasks
};

}  // namespace parlab
