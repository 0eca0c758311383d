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

#include <atomic>
#include <cstdint>

namespace parlab {

struct alignas(64) WorkerBoard {
  std::atomic<uint64_t> running_task{0};  // task id + 1; 0 while between tasks
  std::atomic<int64_t> started_ns{0};     // CLOCK_MONOTONIC, when it started

  void Begin(uint64_t task_id, int64_t now_ns) {
    started_ns.store(now_ns, std::memory_order_relaxed);
    running_task.store(task_id + 1, std::memory_order_release);
  }
  void End() { running_task.store(0, std::memory_order_release); }
};

static_assert(std::atomic<uint64_t>::is_always_lock_free, "the board is shared between processes");
static_assert(std::atomic<int64_t>::is_always_lock_free, "the board is shared between processes");

}  // namespace parlab
