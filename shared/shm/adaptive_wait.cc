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

WaitDecision DecideWait(WaitPolicy policy, int64_t expected_wait_ns, const WaitSetting& setting) {
  WaitDecision decision;
  decision.budget_ns = SpinBudgetNs(setting.wake_cost_ns);
  if (policy == WaitPolicy::kSpin) {
    decision.choice = WaitChoice::kSpin;
    decision.spin_ns = INT64_MAX;
    decision.reason = WaitReason::kForcedSpin;
    return decision;
  }
  if (policy == WaitPolicy::kBlock) {
    decision.reason = WaitReason::kForcedBlock;
    return decision;
  }
  if (expected_wait_ns > decision.budget_ns) {
    decision.reason = WaitReason::kBeyondBudget;
    return decision;
  }
  decision.spin_ns = decision.budget_ns;
  if (setting.oversubscribed()) {
    decision.choice = WaitChoice::kYield;
    decision.reason = WaitReason::kOversubscribed;
  } else {
    decision.choice = WaitChoice::kSpin;
    decision.reason = expected_wait_ns < 0 ? WaitReason::kNotYetLearned : WaitReason::kWithinBudget;
  }
  return decision;
}

std::string DescribeWait(WaitPolicy policy, int64_t expected_wait_ns, const WaitSetting& setting) {
  const WaitDecision d = DecideWait(policy, expected_wait_ns, setting);
  std::string line =
      std::string("wait: ") + WaitPolicyName(policy) + " → " + WaitChoiceName(d.choice) + " (";
  const std::string cores =
      std::to_string(setting.waiters) + " waiting on " + std::to_string(setting.cores) + " core(s)";
  const std::string budget = "budget " + FormatNs(d.budget_ns) + " = " +
                             std::to_string(kWakeCostsPerBudget) + " wake-ups of " +
                             FormatNs(setting.wake_cost_ns);
  const std::string waits = "waits ~" + FormatNs(std::max<int64_t>(0, expected_wait_ns));
  switch (d.reason) {
    case WaitReason::kForcedSpin:
      return line + "never sleeps; " + cores + ")";
    case WaitReason::kForcedBlock:
      return line + "sleeps at once; " + cores + ")";
    case WaitReason::kNotYetLearned:
      return line + "no wait seen yet, " + budget + "; " + cores + ")";
    case WaitReason::kWithinBudget:
      return line + waits + " < " + budget + "; " + cores + ")";
    case WaitReason::kBeyondBudget:
      return line + waits + " > " + budget + ": a wake-up costs little of them)";
    case WaitReason::kOversubscribed:
      return line + cores + ": a spinning side would hold the core its peer needs; sleeps after " +
             FormatNs(d.budget_ns) + ")";
  }
  return line + ")";
}

WaitDecision WaitLearner::Next() {
  const WaitDecision decision = DecideWait(policy_, expected_ns_, setting_);
  ++chosen_[static_cast<int>(decision.choice)];
  return decision;
}

void WaitLearner::Observe(int64_t waited_ns) {
  const int64_t cap = kMaxObservedBudgets * SpinBudgetNs(setting_.wake_cost_ns);
  const int64_t waited = std::clamp<int64_t>(waited_ns, 0, cap);
  if (expected_ns_ < 0) {
    expected_ns_ = waited;
    return;
  }
  expected_ns_ += (waited - expected_ns_) / kLearnWeight;
}

std::string WaitLearner::Describe() const {
  std::string line = DescribeWait(policy_, expected_ns_, setting_);
  const uint64_t total = chosen_[0] + chosen_[1] + chosen_[2];
  if (total == 0) return line;
  line += "; of " + std::to_string(total) + " waits";
  for (const WaitChoice choice : {WaitChoice::kSpin, WaitChoice::kYield, WaitChoice::kSleep}) {
    const uint64_t n = chosen_[static_cast<int>(choice)];
    if (n > 0) line += std::string(", ") + std::to_string(n) + " " + WaitChoiceName(choice);
  }
  return line;
}

int64_t MeasureWakeCostNs() {
  static const int64_t cost = MeasureOnce();
  return cost;
}

}  // namespace parlab
