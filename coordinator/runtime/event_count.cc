#include "coordinator/runtime/event_count.h"

#include <algorithm>
#include <climits>

#include "shared/clock.h"
#include "shared/platform/cpu.h"
#include "shared/platform/futex.h"

namespace parlab {
namespace {

// PAUSEs between two looks at the clock (as the rings' wait loop).
constexpr int kSpinsPerClockRead = 64;

}  // namespace

bool EventCount::Wait(uint32_t key, const WaitDecision& decision, int64_t timeout_ns) {
  // A yield may start with a pause: PAUSE until it is over.
  const bool yields_after_pause = decision.choice == WaitChoice::kYield;
  bool yields = yields_after_pause && decision.pause_ns <= 0;
  int64_t spin_ns = decision.choice == WaitChoice::kSleep ? 0 : decision.spin_ns;
  if (timeout_ns >= 0) spin_ns = std::min(spin_ns, timeout_ns);
  const int64_t start_ns = spin_ns > 0 || timeout_ns >= 0 ? NowNs() : 0;
  int64_t now_ns = start_ns;
  for (int spins = 1;; ++spins) {
    if (seq_.load(std::memory_order_acquire) != key) return true;
    if (spins % kSpinsPerClockRead == 0 || yields) now_ns = NowNs();
    if (yields_after_pause && now_ns - start_ns >= decision.pause_ns) yields = true;
    if (now_ns - start_ns < spin_ns) {
      if (yields) {
        YieldCpu();
      } else {
        CpuRelax();
      }
      continue;
    }
    int64_t sleep_ns = -1;
    if (timeout_ns >= 0) {
      sleep_ns = start_ns + timeout_ns - NowNs();
      if (sleep_ns <= 0) return seq_.load(std::memory_order_acquire) != key;
    }
    sleepers_.fetch_add(1, std::memory_order_seq_cst);  // E2
    if (seq_.load(std::memory_order_seq_cst) == key) {  // E3
      FutexWait(&seq_, key, sleep_ns);                  // any outcome: look again
    }
    sleepers_.fetch_sub(1, std::memory_order_relaxed);  // E4
  }
}

void EventCount::Notify() {
  seq_.fetch_add(1, std::memory_order_seq_cst);                                   // N1
  if (sleepers_.load(std::memory_order_seq_cst) != 0) FutexWake(&seq_, INT_MAX);  // N2
}

}  // namespace parlab
