#include "shared/shm/adaptive_wait.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <thread>
#include <vector>

#include "shared/clock.h"
#include "shared/platform/futex.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

// Wake-ups of the measurement, after kWarmupRoundTrips discarded.
constexpr int kRoundTrips = 15;
constexpr int kWarmupRoundTrips = 2;

// "800 ns", "2.0 µs", "1.50 ms": three significant figures at most.
std::string FormatNs(int64_t ns) {
  char text[32];
  const auto value = static_cast<double>(ns);
  if (ns < 1'000) {
    std::snprintf(text, sizeof(text), "%lld ns", static_cast<long long>(ns));
  } else if (ns < 1'000'000) {
    std::snprintf(text, sizeof(text), value < 1e5 ? "%.1f µs" : "%.0f µs", value * 1e-3);
  } else {
    std::snprintf(text, sizeof(text), "%.2f ms", value * 1e-6);
  }
  return text;
}

// One wake-up, measured from the waker's FutexWake to the sleeper running:
// the sleeper says it is about to sleep, the waker lets kSettleNs pass so
// that it really sleeps, stamps and wakes it, and the sleeper reads the
// clock as soon as it runs again.
constexpr int64_t kSettleNs = 20'000;

int64_t MeasureOnce() {
  std::atomic<uint32_t> word{0};     // the futex word; the waker bumps it
  std::atomic<uint32_t> asleep{0};   // the sleeper's round about to sleep, + 1
  std::atomic<int64_t> woken_ns{0};  // the sleeper's stamp; 0 until it runs
  const int total = kWarmupRoundTrips + kRoundTrips;
  std::thread sleeper([&] {
    for (int i = 0; i < total; ++i) {
      const uint32_t seen = word.load(std::memory_order_acquire);
      asleep.store(static_cast<uint32_t>(i + 1), std::memory_order_release);
      while (word.load(std::memory_order_acquire) == seen) FutexWait(&word, seen, -1);
      woken_ns.store(NowNs(), std::memory_order_release);
    }
  });
  std::vector<int64_t> wakes;
  wakes.reserve(kRoundTrips);
  for (int i = 0; i < total; ++i) {
    while (asleep.load(std::memory_order_acquire) != static_cast<uint32_t>(i + 1)) {
      std::this_thread::yield();
    }
    const int64_t settle_until_ns = NowNs() + kSettleNs;
    while (NowNs() < settle_until_ns) std::this_thread::yield();
    woken_ns.store(0, std::memory_order_relaxed);
    const int64_t start_ns = NowNs();
    word.fetch_add(1, std::memory_order_release);
    FutexWake(&word, 1);
    int64_t end_ns = 0;
    while ((end_ns = woken_ns.load(std::memory_order_acquire)) == 0) std::this_thread::yield();
    if (i >= kWarmupRoundTrips) wakes.push_back(end_ns - start_ns);
  }
  sleeper.join();
  std::nth_element(wakes.begin(), wakes.begin() + kRoundTrips / 2, wakes.end());
  return std::max<int64_t>(1, wakes[kRoundTrips / 2]);
}

}  // namespace

const char* WaitChoiceName(WaitChoice choice) {
  switch (choice) {
    case WaitChoice::kSpin:
      return "spin";
    case WaitChoice::kYield:
      return "yield";
    case WaitChoice::kSleep:
      return "sleep";
  }
  return "unknown";
}

int64_t SpinBudgetNs(int64_t wake_cost_ns) {
  const int64_t wanted = wake_cost_ns > INT64_MAX / kWakeCostsPerBudget
                             ? INT64_MAX
                             : std::max<int64_t>(0, wake_cost_ns) * kWakeCostsPerBudget;
  return std::clamp(wanted, kMinSpinBudgetNs, kMaxSpinBudgetNs);
}

namespace {

WaitDecision Sleep(int64_t budget_ns, WaitReason reason) {
  WaitDecision decision;
  decision.budget_ns = budget_ns;
  decision.reason = reason;
  return decision;
}

// Spins for up to the budget, but not much longer than a slept wait took:
// past that, spinning cannot beat sleeping (and on a busy machine it holds
// the core the peer needs to answer at all).
WaitDecision Spin(int64_t budget_ns, WaitReason reason, const WaitHistory& h,
                  const WaitSetting& setting) {
  WaitDecision decision;
  decision.choice = setting.oversubscribed() ? WaitChoice::kYield : WaitChoice::kSpin;
  decision.spin_ns = budget_ns;
  if (h.slept_ns >= 0) {
    decision.spin_ns = std::min(budget_ns, std::max(kMinSpinNs, kSpinPerSleptWait * h.slept_ns));
  }
  if (decision.choice == WaitChoice::kYield && h.spun_ns <= kShortWaitNs && h.task_ns >= 0 &&
      h.task_ns <= kMostTaskNsToPause) {
    decision.pause_ns = std::min(kPauseBeforeYieldNs, decision.spin_ns);
  }
  decision.budget_ns = budget_ns;
  decision.reason = reason;
  return decision;
}

// The adaptive choice, exploration aside.
WaitDecision Settled(const WaitHistory& h, const WaitSetting& setting) {
  const int64_t budget_ns = SpinBudgetNs(setting.wake_cost_ns);
  if (h.outlasted > kShareOne / 2) return Sleep(budget_ns, WaitReason::kBeyondBudget);
  if (h.spun_ns < 0) return Spin(budget_ns, WaitReason::kNotYetLearned, h, setting);
  if (h.spun_ns > budget_ns) return Sleep(budget_ns, WaitReason::kBeyondBudget);
  if (h.slept_ns >= 0 && h.slept_ns < h.spun_ns) {
    return Sleep(budget_ns, WaitReason::kSleepIsFaster);
  }
  return Spin(budget_ns, WaitReason::kWithinBudget, h, setting);
}

}  // namespace

bool IsExploration(uint64_t waits) {
  const uint64_t n = waits + 1;
  if (n < kExplorePeriod) return n >= kFirstExplore && (n & (n - 1)) == 0;
  return n % kExplorePeriod == 0;
}

bool InSpinWindow(int64_t now_ns) {
  return now_ns >= 0 && now_ns % kSpinWindowPeriodNs < kSpinWindowNs;
}

WaitDecision DecideWait(WaitPolicy policy, const WaitHistory& history, const WaitSetting& setting,
                        int64_t now_ns) {
  const int64_t budget_ns = SpinBudgetNs(setting.wake_cost_ns);
  if (policy == WaitPolicy::kSpin) {
    WaitDecision decision;
    decision.choice = WaitChoice::kSpin;
    decision.spin_ns = INT64_MAX;
    decision.budget_ns = budget_ns;
    decision.reason = WaitReason::kForcedSpin;
    return decision;
  }
  if (policy == WaitPolicy::kBlock) return Sleep(budget_ns, WaitReason::kForcedBlock);
  const WaitDecision settled = Settled(history, setting);
  if (settled.reason == WaitReason::kSleepIsFaster && InSpinWindow(now_ns)) {
    // Yielding, not a PAUSE loop: the peer this side wakes may be placed on
    // its core, and must get it to answer at all.
    WaitDecision explore = Spin(budget_ns, WaitReason::kExploring, history, setting);
    explore.choice = WaitChoice::kYield;
    explore.pause_ns = 0;
    return explore;
  }
  if (!IsExploration(history.waits)) return settled;
  return settled.choice == WaitChoice::kSleep
             ? Spin(budget_ns, WaitReason::kExploring, history, setting)
             : Sleep(budget_ns, WaitReason::kExploring);
}

std::string DescribeWait(WaitPolicy policy, const WaitHistory& history,
                         const WaitSetting& setting) {
  WaitHistory settled = history;
  settled.waits = 0;  // not an exploration
  const WaitDecision d = DecideWait(policy, settled, setting);
  std::string line =
      std::string("wait: ") + WaitPolicyName(policy) + " → " + WaitChoiceName(d.choice) + " (";
  const std::string cores =
      std::to_string(setting.waiters) + " waiting on " + std::to_string(setting.cores) + " core(s)";
  const std::string budget = "budget " + FormatNs(d.budget_ns) + " = " +
                             std::to_string(kWakeCostsPerBudget) + " wake-ups of " +
                             FormatNs(setting.wake_cost_ns);
  const std::string spun = "spun waits ~" + FormatNs(std::max<int64_t>(0, history.spun_ns));
  const std::string slept =
      history.slept_ns < 0 ? std::string() : ", slept ~" + FormatNs(history.slept_ns);
  std::string yields;
  if (setting.oversubscribed()) {
    yields = d.pause_ns > 0 ? ", yielding the core after " + FormatNs(d.pause_ns) +
                                  " of PAUSE: tasks ~" + FormatNs(history.task_ns)
                            : ", yielding the core";
  }
  switch (d.reason) {
    case WaitReason::kForcedSpin:
      return line + "never sleeps; " + cores + ")";
    case WaitReason::kForcedBlock:
      return line + "sleeps at once; " + cores + ")";
    case WaitReason::kNotYetLearned:
      return line + "no wait seen yet, " + budget + "; " + cores + yields + ")";
    case WaitReason::kWithinBudget:
      return line + spun + " < " + budget + slept + "; " + cores + yields + ")";
    case WaitReason::kBeyondBudget:
      if (history.outlasted > kShareOne / 2) {
        return line + std::to_string(history.outlasted * 100 / kShareOne) +
               "% of spun waits outlast the " + budget + ": a wake-up costs little of them)";
      }
      return line + spun + " > " + budget + ": a wake-up costs little of them)";
    case WaitReason::kSleepIsFaster:
      return line + "slept waits ~" + FormatNs(history.slept_ns) + " < " + spun +
             ": spinning holds a core its peer needs; " + cores + ")";
    case WaitReason::kExploring:
      break;
  }
  return line + ")";
}

WaitDecision WaitLearner::Next() {
  WaitDecision decision = DecideWait(policy_, history_, setting_);
  // The clock only where a shared spin window could change the decision:
  // a side that spins reads none here.
  if (decision.reason == WaitReason::kSleepIsFaster) {
    decision = DecideWait(policy_, history_, setting_, NowNs());
  }
  last_explored_ = decision.reason == WaitReason::kExploring;
  ++history_.waits;
  last_ = decision.choice;
  ++chosen_.by_choice[static_cast<int>(decision.choice)];
  return decision;
}

void WaitLearner::Observe(int64_t waited_ns) {
  const int64_t budget_ns = SpinBudgetNs(setting_.wake_cost_ns);
  const int64_t waited = std::clamp<int64_t>(waited_ns, 0, kMaxObservedBudgets * budget_ns);
  // An exploration's wait replaces the stale mean of the way not taken.
  const int64_t weight = last_explored_ ? 1 : kLearnWeight;
  auto learn = [weight](int64_t& mean, int64_t value) {
    mean = mean < 0 ? value : mean + (value - mean) / weight;
  };
  if (last_ == WaitChoice::kSleep) return learn(history_.slept_ns, waited);
  const bool outlasted = waited > budget_ns;
  history_.outlasted += ((outlasted ? kShareOne : 0) - history_.outlasted) / weight;
  if (!outlasted) learn(history_.spun_ns, waited);
}

void WaitLearner::ObserveTask(int64_t task_ns) {
  if (task_ns < 0) return;
  int64_t& mean = history_.task_ns;
  mean = mean < 0 ? task_ns : mean + (task_ns - mean) / kLearnWeight;
}

std::string DescribeWaits(WaitPolicy policy, const WaitHistory& history, const WaitSetting& setting,
                          const WaitCounts& counts) {
  std::string line = DescribeWait(policy, history, setting);
  const uint64_t total = counts.total();
  if (total == 0) return line;
  line += "; of " + std::to_string(total) + " waits";
  for (const WaitChoice choice : {WaitChoice::kSpin, WaitChoice::kYield, WaitChoice::kSleep}) {
    const uint64_t n = counts.by_choice[static_cast<int>(choice)];
    if (n > 0) line += std::string(", ") + std::to_string(n) + " " + WaitChoiceName(choice);
  }
  return line;
}

int64_t MeasureWakeCostNs() {
  static const int64_t cost = MeasureOnce();
  return cost;
}

}  // namespace parlab
