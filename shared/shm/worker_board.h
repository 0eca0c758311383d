#pragma once
// WorkerBoard: what one worker is doing right now, in the segment (the
// worker's WorkerRegions entry places it, layout.h), so the coordinator can
// tell which task a worker was running when it died (that task alone is
// charged an attempt; the others it held are simply requeued) and how long
// the current task has run (--task-timeout).
//
// Written only by its worker, read by the coordinator. Two relaxed-enough
// stores per task: the worker publishes started_ns before running_task (a
// release store), so a reader that sees the task also sees when it started.
// A dead worker may leave a half-written board; the coordinator reads it only
// as a hint (a task id it checks against what that worker held).
//
// It also publishes how it waits for its frames (--wait adaptive's learner,
// shared/shm/adaptive_wait.h): after each wait, relaxed stores of what it
// learned and how often it chose each way, read by the coordinator for
// `run`'s notes once the workers are done (a report, not a protocol: no
// ordering is needed, and a torn snapshot misleads only a note). The
// board's line is the worker's own: the coordinator reads it only at a
// death, a time-out and the job's end, so the stores stay in its cache.

#include <atomic>
#include <cstdint>

#include "shared/shm/adaptive_wait.h"

namespace parlab {

struct alignas(64) WorkerBoard {
  std::atomic<uint64_t> running_task{0};  // task id + 1; 0 while between tasks
  std::atomic<int64_t> started_ns{0};     // NowNs(), when it started

  void Begin(uint64_t task_id, int64_t now_ns) {
    started_ns.store(now_ns, std::memory_order_relaxed);
    running_task.store(task_id + 1, std::memory_order_release);
  }
  void End() { running_task.store(0, std::memory_order_release); }

  // The worker's waits for its next frame: the learner's history and how
  // many waits went each way (by WaitChoice).
  std::atomic<int64_t> wait_spun_ns{-1};
  std::atomic<int64_t> wait_slept_ns{-1};
  std::atomic<int64_t> wait_outlasted{0};
  std::atomic<uint64_t> waits_by_choice[3] = {};

  void PublishWaits(const WaitLearner& learner) {
    const WaitHistory& h = learner.history();
    wait_spun_ns.store(h.spun_ns, std::memory_order_relaxed);
    wait_slept_ns.store(h.slept_ns, std::memory_order_relaxed);
    wait_outlasted.store(h.outlasted, std::memory_order_relaxed);
    for (const WaitChoice choice : {WaitChoice::kSpin, WaitChoice::kYield, WaitChoice::kSleep}) {
      waits_by_choice[static_cast<int>(choice)].store(learner.chosen(choice),
                                                      std::memory_order_relaxed);
    }
  }
  // What PublishWaits stored last, as a learner's state to describe.
  WaitCounts PublishedWaits(WaitHistory& history) const {
    history.spun_ns = wait_spun_ns.load(std::memory_order_relaxed);
    history.slept_ns = wait_slept_ns.load(std::memory_order_relaxed);
    history.outlasted = wait_outlasted.load(std::memory_order_relaxed);
    WaitCounts counts;
    for (int c = 0; c < 3; ++c)
      counts.by_choice[c] = waits_by_choice[c].load(std::memory_order_relaxed);
    history.waits = counts.total();
    return counts;
  }
};

// One cache line: the worker writes it, nobody else does on the hot path.
static_assert(sizeof(WorkerBoard) == 64, "a WorkerBoard is one cache line (layout.h)");

static_assert(std::atomic<uint64_t>::is_always_lock_free, "the board is shared between processes");
static_assert(std::atomic<int64_t>::is_always_lock_free, "the board is shared between processes");

}  // namespace parlab
