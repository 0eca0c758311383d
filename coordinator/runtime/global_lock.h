#pragma once
// GlobalLock: one lock that all threads of the gil mode share, behaving as
// CPython's GIL does since 3.2 (Antoine Pitrou's "new GIL", Python/ceval_gil.c):
//
// - a thread that wants the lock waits at most one switch interval (default
//   5 ms, sys.getswitchinterval()); if the holder has not let go by then, the
//   waiter sets a drop request;
// - the holder polls the request at checkpoints (CPython: between bytecodes;
//   here: kernels call KernelContext::Checkpoint() about every 50 µs) and, when
//   it is set, gives the lock up and waits until another thread has taken it
//   (FORCE_SWITCHING), so the same thread cannot take it straight back;
// - code that blocks or calls into C (sleep, BLAS) releases the lock around it.
//
// So CPU-bound threads take turns and run at the speed of one; waiting and
// BLAS threads overlap. Safe to use from any number of threads of one process.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "shared/kernels/kernel.h"

namespace parlab {

class GlobalLock {
 public:
  explicit GlobalLock(std::chrono::microseconds switch_interval);
  GlobalLock(const GlobalLock&) = delete;
  GlobalLock& operator=(const GlobalLock&) = delete;

  // Blocks until the calling thread holds the lock. Not reentrant.
  void Take();
  // Precondition: the calling thread holds the lock.
  void Drop();
  // Precondition: the calling thread holds the lock. Cheap when nobody waits:
  // one relaxed load.
  void Checkpoint() {
    if (drop_request_.load(std::memory_order_relaxed)) Yield();
  }

  // How often the lock changed hands, and how often a holder was asked to
  // drop it; the gil mode reports both.
  uint64_t switches() const;
  uint64_t forced_drops() const;

 private:
  void Yield();  // forced switch: drop, wait for another taker, take again

  const std::chrono::microseconds switch_interval_;
  mutable std::mutex mutex_;
  std::condition_variable lock_released_;  // a waiter may take the lock
  std::condition_variable switched_;       // someone else took it (forced switching)
  bool locked_ = false;
  int waiters_ = 0;
  uint64_t switch_number_ = 0;
  uint64_t forced_drops_ = 0;
  // Written under mutex_, read without it at checkpoints: relaxed is enough,
  // a late read only delays the switch to the next checkpoint.
  std::atomic<bool> drop_request_{false};
};

// The hooks a kernel sees; holds a GlobalLock the thread already holds.
class GlobalLockHooksImpl final : public GlobalLockHooks {
 public:
  explicit GlobalLockHooksImpl(GlobalLock& lock) : lock_(lock) {}
  void Checkpoint() override { lock_.Checkpoint(); }

 private:
  GlobalLock& lock_;
};

}  // namespace parlab
