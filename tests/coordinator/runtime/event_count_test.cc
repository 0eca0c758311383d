// EventCount: no wake-up is lost, whichever way the waiter spends its wait.
// Its waits have no time limit: a lost wake-up hangs the test, and ctest's
// TIMEOUT fails it. No timings are asserted.
#include "coordinator/runtime/event_count.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace parlab {
namespace {

WaitDecision Decision(WaitChoice choice, int64_t spin_ns) {
  WaitDecision decision;
  decision.choice = choice;
  decision.spin_ns = spin_ns;
  return decision;
}

// Two threads hand a turn back and forth, each waiting on its own event.
void PingPong(const WaitDecision& decision, int rounds) {
  EventCount to_b, to_a;
  int turns = 0;  // plain: each side writes it only while the other waits
  std::atomic<int> b_seen{0};
  std::thread b([&] {
    for (int i = 0; i < rounds; ++i) {
      for (;;) {
        const uint32_t key = to_b.Key();
        if (b_seen.load(std::memory_order_acquire) != i) break;
        to_b.Wait(key, decision);
      }
      ++turns;
      to_a.Notify();
    }
  });
  for (int i = 0; i < rounds; ++i) {
    const uint32_t key = to_a.Key();
    b_seen.store(i + 1, std::memory_order_release);
    to_b.Notify();
    to_a.Wait(key, decision);
    while (turns != i + 1) {  // a spurious return would show here
      const uint32_t again = to_a.Key();
      if (turns == i + 1) break;
      to_a.Wait(again, decision);
    }
  }
  b.join();
  EXPECT_EQ(turns, rounds);
}

TEST(EventCountTest, SleepingWaitersAreAlwaysWoken) {
  PingPong(Decision(WaitChoice::kSleep, 0), 2000);
}

TEST(EventCountTest, SpinningThenSleepingWaitersAreAlwaysWoken) {
  PingPong(Decision(WaitChoice::kSpin, 2'000), 2000);
}

TEST(EventCountTest, YieldingWaitersAreAlwaysWoken) {
  PingPong(Decision(WaitChoice::kYield, 2'000), 2000);
}

TEST(EventCountTest, ANotifyBeforeTheWaitIsNotLost) {
  EventCount event;
  const uint32_t key = event.Key();
  event.Notify();
  event.Wait(key, Decision(WaitChoice::kSleep, 0));  // returns at once
  EXPECT_NE(event.Key(), key);
}

}  // namespace
}  // namespace parlab
