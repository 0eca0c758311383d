#pragma once
// What `--wait adaptive` does each time a side is about to wait for its peer
// (a worker for its next task, the coordinator for an answer): spin, yield or
// sleep, learned from how long this side's recent waits lasted and from what
// a futex wake-up costs on this machine.
//
// The rule (DecideWait, a pure function of its inputs):
// - The spin budget is what sleeping would cost: kWakeCostsPerBudget
//   wake-ups, within [kMinSpinBudgetNs, kMaxSpinBudgetNs]. A wait longer than
//   the budget loses at most 1/kWakeCostsPerBudget of itself to one wake-up,
//   so sleeping through it is cheap; a shorter one is spun for.
// - While waits come back within the budget (their running mean), spin for
//   up to the budget, then sleep; once they take longer, sleep at once.
// - When more sides may wait at once than there are usable cores
//   (oversubscribed), a PAUSE loop would hold the very core the peer needs:
//   yield the core instead (sched_yield) for up to the budget, then sleep.
// --wait spin and --wait block are not adaptive: they spin for ever, or
// sleep at once.
//
// WaitLearner keeps one side's running mean; it is not thread-safe (one per
// waiting thread). MeasureWakeCostNs is thread-safe and measures once per
// process.

#include <cstdint>
#include <string>

#include "shared/shm/ring.h"

namespace parlab {

// A wait longer than the budget loses at most 1/20 = 5% to a wake-up: the
// 95% efficiency that a task longer than the budget keeps while sleeping.
inline constexpr int64_t kWakeCostsPerBudget = 20;
// 200 µs: where a fast machine's wake-up (~5 µs x 20 = 100 µs) would put it,
// a 100 µs task would sleep on every answer; a wake-up also costs a cold
// cache and a CPU in a deeper idle state, which the measured latency misses.
inline constexpr int64_t kMinSpinBudgetNs = 200'000;
// 2 ms: half a scheduler tick at HZ=250; beyond it a core is spent for little.
inline constexpr int64_t kMaxSpinBudgetNs = 2'000'000;
// A single long wait (between two trials, say) moves the mean by at most
// this many budgets / kLearnWeight.
inline constexpr int64_t kMaxObservedBudgets = 4;
inline constexpr int64_t kLearnWeight = 8;  // the mean moves 1/8 of the way to each wait

// What the job and the machine say; fixed for a job.
struct WaitSetting {
  int waiters = 1;           // sides that may wait at once: the workers and the coordinator
  int cores = 1;             // usable cores (the affinity mask)
  int64_t wake_cost_ns = 0;  // one futex wake-up here (MeasureWakeCostNs)

  bool oversubscribed() const { return waiters > cores; }
};

enum class WaitChoice {
  kSpin,   // PAUSE loop for spin_ns, then sleep
  kYield,  // sched_yield loop for spin_ns, then sleep
  kSleep,  // sleep at once
};

enum class WaitReason {
  kForcedSpin,      // --wait spin
  kForcedBlock,     // --wait block
  kNotYetLearned,   // no wait seen yet: spin, as a short one is the likely case
  kWithinBudget,    // recent waits are shorter than the budget
  kBeyondBudget,    // recent waits are longer: a wake-up costs little of them
  kOversubscribed,  // more waiters than cores
};

struct WaitDecision {
  WaitChoice choice = WaitChoice::kSleep;
  int64_t spin_ns = 0;    // spin or yield this long before sleeping; INT64_MAX: never sleep
  int64_t budget_ns = 0;  // the budget it was weighed against
  WaitReason reason = WaitReason::kForcedBlock;
};

const char* WaitChoiceName(WaitChoice choice);

// The budget for a machine whose wake-up costs wake_cost_ns.
int64_t SpinBudgetNs(int64_t wake_cost_ns);

// The decision for one wait. expected_wait_ns: the running mean of this
// side's recent waits, < 0 when none has been seen yet.
WaitDecision DecideWait(WaitPolicy policy, int64_t expected_wait_ns, const WaitSetting& setting);

// One line for a report, e.g. "wait: adaptive → spin (waits ~2.0 µs < budget
// 800 µs = 20 wake-ups of 40 µs; 2 waiting on 2 cores)".
std::string DescribeWait(WaitPolicy policy, int64_t expected_wait_ns, const WaitSetting& setting);

// One waiting side's memory of its recent waits.
class WaitLearner {
 public:
  WaitLearner(WaitPolicy policy, WaitSetting setting) : policy_(policy), setting_(setting) {}

  WaitPolicy policy() const { return policy_; }
  const WaitSetting& setting() const { return setting_; }
  int64_t expected_wait_ns() const { return expected_ns_; }

  // The decision for the next wait; counted, for Describe().
  WaitDecision Next();
  // How long the last wait lasted, until the peer's answer (or its timeout).
  void Observe(int64_t waited_ns);
  // DescribeWait for what was learned, and how often each choice was made.
  std::string Describe() const;

 private:
  WaitPolicy policy_;
  WaitSetting setting_;
  int64_t expected_ns_ = -1;
  uint64_t chosen_[3] = {0, 0, 0};  // by WaitChoice
};

// One futex wake-up on this machine, in ns: the median of 15, each from the
// waker's FutexWake to the sleeping thread running again. Measured on the
// first call (well under a millisecond plus 17 wake-ups), then remembered.
// Never 0.
int64_t MeasureWakeCostNs();

}  // namespace parlab
