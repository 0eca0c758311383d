#pragma once
// EventCount: lets threads of this process wait until another thread says
// that something changed (an eventcount: Vyukov; folly::EventCount), spending
// the wait as a WaitDecision says (spin, yield, then sleep on a futex), so
// the data path of a spinning waiter makes no system call. Safe from any
// number of threads; for one process (the futex word is not in a segment).
//
// Use: key = Key(); look at the condition; if it does not hold, Wait(key, …)
// and look again. A Notify() after Key() makes Wait(key) return.
//
// Protocol, with every atomic's ordering:
//   waiter                                   notifier (after making the change)
//   E1 key = seq.load(acquire)               N1 seq.fetch_add(1, seq_cst)
//   ... spins while seq == key (acquire) ...  N2 if sleepers.load(seq_cst) > 0:
//   E2 sleepers.fetch_add(1, seq_cst)           FutexWake(&seq, all)
//   E3 if seq.load(seq_cst) == key:
//        FutexWait(&seq, key)  (sleeps only while seq == key)
//   E4 sleepers.fetch_sub(1, relaxed)
// E2, E3, N1, N2 are seq_cst: either E3 follows N1 (the waiter sees the new
// seq and does not sleep) or N2 follows E2 (the notifier sees a sleeper and
// wakes it; FutexWait compares seq atomically, so a wake between E3 and the
// sleep is not lost). N1's release pairs with the waiter's acquire loads:
// what the notifier wrote before N1 is visible once Wait returns.

#include <atomic>
#include <cstdint>

#include "shared/shm/adaptive_wait.h"

namespace parlab {

class EventCount {
 public:
  uint32_t Key() const { return seq_.load(std::memory_order_acquire); }  // E1

  // Returns true once a Notify() made after `key` was read has happened, or
  // false when timeout_ns (>= 0) passed first; -1: no timeout.
  bool Wait(uint32_t key, const WaitDecision& decision, int64_t timeout_ns = -1);

  void Notify();

 private:
  alignas(64) std::atomic<uint32_t> seq_{0};
  std::atomic<uint32_t> sleepers_{0};
};

}  // namespace parlab
