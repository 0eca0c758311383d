#pragma once
// Doorbell: lets the coordinator sleep until any of its workers has answered,
// where each response ring alone could wake it for one worker only. Several
// coordinator threads may sleep on it at once (dispatch shards, each for its
// own workers' rings): `sleeping` counts them, and a ring wakes them all. It lives
// in the segment (offset-based, trivially copyable), shared by all workers.
//
// Protocol — an eventcount (Vyukov; folly::EventCount), the same as the
// rings' own wake-ups:
//   waiter (coordinator)                 ringer (a worker, after TryPush)
//   seen = seq.load(acquire)             [publish the frame: tail.store(release)]
//   sleeping.fetch_add(1); fence(seq_cst) fence(seq_cst)
//   if any ring has a frame: done        if sleeping.load(relaxed):
//   FutexWait(&seq, seen)                  seq.fetch_add(1); FutexWake(&seq, all)
//   sleeping.fetch_sub(1)
// The two seq_cst fences order "sleeping = 1" before the waiter's look at the
// rings and the frame's publication before the ringer's look at "sleeping",
// so at least one side sees the other (Dekker): a frame is never left
// unnoticed while the waiter sleeps. A ring costs one relaxed load when the
// coordinator is awake (spinning), so the spin data path makes no system call.
// Safe across threads and processes.

#include <atomic>
#include <cstdint>
#include <type_traits>

namespace parlab {

struct alignas(64) Doorbell {
  std::atomic<uint32_t> seq{0};
  std::atomic<uint32_t> sleeping{0};

  // Ringer side: call after publishing a frame.
  void Ring();

  // Waiter side: call Prepare(), look for work, and only if there is none,
  // Wait(seen, timeout_ns), else Cancel(); either takes this waiter back out
  // of `sleeping`.
  uint32_t Prepare();
  void Wait(uint32_t seen, int64_t timeout_ns);
  void Cancel() { sleeping.fetch_sub(1, std::memory_order_relaxed); }
};

static_assert(std::is_trivially_destructible_v<Doorbell>);

}  // namespace parlab
