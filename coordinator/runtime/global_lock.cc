#include "coordinator/runtime/global_lock.h"

namespace parlab {

GlobalLock::GlobalLock(std::chrono::microseconds switch_interval)
    : switch_interval_(switch_interval) {}

void GlobalLock::Take() {
  std::unique_lock<std::mutex> guard(mutex_);
  ++waiters_;
  while (locked_) {
    const uint64_t seen = switch_number_;
    const bool released =
        lock_released_.wait_for(guard, switch_interval_, [&] { return !locked_; });
    // A whole interval passed and the same holder still has it: ask it to drop.
    if (!released && locked_ && switch_number_ == seen) {
      drop_request_.store(true, std::memory_order_relaxed);
    }
  }
  --waiters_;
  locked_ = true;
  drop_request_.store(false, std::memory_order_relaxed);
  ++switch_number_;
  switched_.notify_all();
}

void GlobalLock::Drop() {
  std::lock_guard<std::mutex> guard(mutex_);
  locked_ = false;
  lock_released_.notify_one();
}

void GlobalLock::Yield() {
  std::unique_lock<std::mutex> guard(mutex_);
  if (!drop_request_.load(std::memory_order_relaxed)) return;
  ++forced_drops_;
  const uint64_t seen = switch_number_;
  locked_ = false;
  lock_released_.notify_one();
  // FORCE_SWITCHING: wait until a waiter has actually taken the lock, else
  // this thread would win the race to take it back nearly every time.
  if (waiters_ > 0) switched_.wait(guard, [&] { return switch_number_ != seen; });
  guard.unlock();
  Take();
}

uint64_t GlobalLock::switches() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return switch_number_;
}

uint64_t GlobalLock::forced_drops() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return forced_drops_;
}

}  // namespace parlab
