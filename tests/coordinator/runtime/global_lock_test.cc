#include "coordinator/runtime/global_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace parlab {
namespace {

using std::chrono::microseconds;

TEST(GlobalLockTest, CheckpointWithoutWaitersKeepsTheLock) {
  GlobalLock lock(microseconds(1000));
  lock.Take();
  for (int i = 0; i < 1000; ++i) lock.Checkpoint();
  lock.Drop();
  EXPECT_EQ(lock.forced_drops(), 0u);
  EXPECT_EQ(lock.switches(), 1u);
}

// A holder that never drops the lock by itself must be made to: the waiter
// asks after one switch interval and the holder yields at a checkpoint. Were
// that broken, this test would hang (and fail by its ctest TIMEOUT).
TEST(GlobalLockTest, WaiterForcesTheHolderToYield) {
  GlobalLock lock(microseconds(200));
  std::atomic<bool> holder_running{false};
  std::atomic<bool> waiter_got_it{false};
  std::thread holder([&] {
    lock.Take();
    holder_running = true;
    while (!waiter_got_it.load()) lock.Checkpoint();
    lock.Drop();
  });
  while (!holder_running.load()) std::this_thread::yield();
  lock.Take();
  waiter_got_it = true;
  lock.Drop();
  holder.join();
  EXPECT_GE(lock.forced_drops(), 1u);
}

// Mutual exclusion: a plain (non-atomic) counter stays exact when every
// increment happens under the lock, with checkpoints switching holders often.
TEST(GlobalLockTest, OnlyOneHolderAtATime) {
  GlobalLock lock(microseconds(50));
  int64_t counter = 0;
  constexpr int kThreads = 3;
  constexpr int kIncrements = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      lock.Take();
      for (int i = 0; i < kIncrements; ++i) {
        // A read, a pause and a write: two holders at once would lose increments.
        const int64_t seen = counter;
        for (volatile int spin = 0; spin < 10; spin = spin + 1) {
        }
        counter = seen + 1;
        lock.Checkpoint();  // the only place the lock may change hands
      }
      lock.Drop();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter, int64_t{kThreads} * kIncrements);
}

}  // namespace
}  // namespace parlab
