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
//   so sleeping through it is cheap; a shorter one is worth spinning for.
// - The side remembers how long its waits lasted when it spun (running
//   mean of those that ended within the budget), how often a spun wait
//   outlasted the budget (running share), and how long its waits lasted
//   when it slept (running mean). It spins, for up to the budget and then
//   sleeps, while spun waits come back within the budget and no slower than
//   slept ones (a spin lasts at most twice a slept wait: longer cannot win);
//   it sleeps at once when most spun waits outlast the budget (long tasks)
//   or when sleeping was faster (a machine busy with other work, where the
//   spinner holds the core its peer needs). Every kExplorePeriod-th wait
//   goes the other way, so a changed machine is noticed, and so do waits
//   15, 31, 63 and 127 (from 0): a side that learned to sleep from its
//   first waits (a worker still cold, a busy moment) looks again soon.
// - What an exploration saw replaces what was known of that way (its mean,
//   its share of waits beyond the budget) instead of moving it 1/8 of the
//   way: it is the only fresh evidence of the way not taken, the old mean
//   may date from the job's first waits, and moved 1/8 an exploration at a
//   time it took thousands of waits to forget them — `bench ipc --quick`'s
//   adaptive row slept through all its 5,000 tasks.
// - A wait that outlasts the budget says only that sleeping would have cost
//   little of it; it is kept out of the spun mean. Else one idle wait (a
//   worker's between two trials, milliseconds) raised that mean far above a
//   slept wait's few µs, "sleeping was faster" held, and the side slept
//   through every task, paying a wake-up each, until thousands of waits of
//   exploring brought the mean down again: `run`'s adaptive round trip was
//   7× bench ipc's, whose single short trial hid it.
// - Both sides sleeping is a trap a side cannot leave alone: its spun
//   exploration waits for a peer that sleeps (and that, woken onto the
//   spinner's core, waits for it), so spinning looks slower than sleeping
//   on both sides — `bench ipc --quick`'s adaptive row and 5,000-task runs
//   slept at 5 µs a round trip where spinning took 0.4 µs. So a side that
//   has learned "sleep is faster" also explores in shared spin windows: the
//   first kSpinWindowNs of every kSpinWindowPeriodNs of the stamp clock, the
//   one clock of every process of the run, so both sides spin at once and
//   see what spinning together costs. Those waits yield rather than PAUSE:
//   a peer woken from sleep is often placed on the waker's core, and a PAUSE
//   loop would keep it from answering at all. At most 1/10 of the time,
//   each spin bounded as an exploration is; it costs a side that is right to
//   sleep (a busy machine) some yields, and a `--tasks 5000` noop run went
//   from 5.6 µs a task to ~0.4 µs in 4 runs of 6 (2 vCPUs, quiet).
// - When more sides may wait at once than there are usable cores
//   (oversubscribed), it yields the core (sched_yield) instead of a PAUSE
//   loop whenever it would spin — after kPauseBeforeYieldNs of PAUSE while
//   its spun waits are short (at most kShortWaitNs, or none seen yet) and
//   its tasks compute next to nothing (at most kMostTaskNsToPause on
//   average, as the side has been told: ObserveTask): an answer due within
//   a microsecond or so is then seen at once instead of after a system call
//   per look, and the pause takes little from a peer that shares the core,
//   as that peer has little to compute. Two workers of unbatched noops on 2
//   vCPUs ran 1.1–1.6 M tasks/s yielding at once, 3.5–3.8 pausing first;
//   but pausing through 2 µs and 10 µs tasks cost 1.2× their wall time (the
//   pause held the core a worker needed), and spinning through 100 µs tasks
//   1.4× — hence both conditions.
// --wait spin and --wait block are not adaptive: they spin for ever, or
// sleep at once.
//
// WaitLearner keeps one side's history; it is not thread-safe (one per
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
// One wait in 256 tries the way not chosen: it costs at most a wake-up (or
// a short futile spin) per 256 waits — 0.16 µs a wait where a wake-up costs
// 40 µs, against the 1.5× of spin's ~1.7 µs round trip that issue 13 allows.
inline constexpr uint64_t kExplorePeriod = 256;
// Before the first kExplorePeriod waits, waits 15, 31, 63 and 127 explore
// too (each one more than a power of two from kFirstExplore on).
inline constexpr uint64_t kFirstExplore = 16;
// The shared spin windows: the first kSpinWindowNs of every
// kSpinWindowPeriodNs of the stamp clock, when a side that sleeps explores
// spinning (yielding) on every wait, in step with its peer: 1 ms holds
// hundreds of round trips of a spinning pair, and some for the scheduler
// to move a woken peer off the waker's core (100 µs was too short for that
// on 2 vCPUs: 1 run of 6 got out).
inline constexpr int64_t kSpinWindowNs = 1'000'000;
inline constexpr int64_t kSpinWindowPeriodNs = 10'000'000;
// Once a slept wait has been seen, a spin lasts at most this many of it (and
// at least kMinSpinNs, at most the budget): a spin that outlasts a sleep
// cannot win, so a futile one (a busy machine, an exploration) costs little.
inline constexpr int64_t kSpinPerSleptWait = 2;
inline constexpr int64_t kMinSpinNs = 20'000;
// Oversubscribed: PAUSE this long before yielding, while spun waits last at
// most kShortWaitNs and tasks compute at most kMostTaskNsToPause (a yield is
// a system call and may switch to another process; a running peer's answer
// to such a task takes well under a µs).
inline constexpr int64_t kPauseBeforeYieldNs = 5'000;
inline constexpr int64_t kShortWaitNs = 10'000;
inline constexpr int64_t kMostTaskNsToPause = 1'000;

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
  kForcedSpin,     // --wait spin
  kForcedBlock,    // --wait block
  kNotYetLearned,  // no spun wait seen yet: spin, as a short one is the likely case
  kWithinBudget,   // spun waits are shorter than the budget, and not slower than slept ones
  kBeyondBudget,   // spun waits are longer: a wake-up costs little of them
  kSleepIsFaster,  // slept waits came back sooner than spun ones
  kExploring,      // the periodic try of the way not chosen
};

// One side's memory of its waits; the input of DecideWait.
struct WaitHistory {
  // Running mean of the waits it spun (or yielded) through that ended within
  // the budget; < 0: none yet.
  int64_t spun_ns = -1;
  int64_t slept_ns = -1;  // running mean of waits it slept through at once; < 0: none yet
  uint64_t waits = 0;     // waits decided so far
  // Running share of spun waits that outlasted the budget, in 1/kShareOne.
  int64_t outlasted = 0;
  // Running mean of how long the tasks its waits were for computed; < 0:
  // not known (the side is not told).
  int64_t task_ns = -1;
};
inline constexpr int64_t kShareOne = 1024;

struct WaitDecision {
  WaitChoice choice = WaitChoice::kSleep;
  int64_t spin_ns = 0;    // spin or yield this long before sleeping; INT64_MAX: never sleep
  int64_t pause_ns = 0;   // kYield: PAUSE this long of spin_ns before the first yield
  int64_t budget_ns = 0;  // the budget it was weighed against
  WaitReason reason = WaitReason::kForcedBlock;
};

const char* WaitChoiceName(WaitChoice choice);

// The budget for a machine whose wake-up costs wake_cost_ns.
int64_t SpinBudgetNs(int64_t wake_cost_ns);

// Whether wait number `waits` (from 0) tries the way not chosen.
bool IsExploration(uint64_t waits);

// Whether now_ns (NowNs(), shared/clock.h) lies in a shared spin window.
bool InSpinWindow(int64_t now_ns);

// The decision for the next wait (history.waits says which one it is). A
// side that would sleep because sleeping was faster spins instead, as an
// exploration, when now_ns lies in a shared spin window (now_ns < 0: not
// known, no window).
WaitDecision DecideWait(WaitPolicy policy, const WaitHistory& history, const WaitSetting& setting,
                        int64_t now_ns = -1);

// Makes the ring's kAdaptive waits (for a frame, or for room) spin or yield
// as `decision` says, then sleep.
inline void ApplyWaitDecision(const WaitDecision& decision, Ring& ring) {
  ring.set_adaptive_spin_ns(decision.choice == WaitChoice::kSleep ? 0 : decision.spin_ns);
  ring.set_adaptive_yields(decision.choice == WaitChoice::kYield, decision.pause_ns);
}

// How many waits went each way, by WaitChoice.
struct WaitCounts {
  uint64_t by_choice[3] = {0, 0, 0};

  uint64_t total() const { return by_choice[0] + by_choice[1] + by_choice[2]; }
};

// One line for a report: what the next wait that is not an exploration
// would do, and why, e.g. "wait: adaptive → spin (spun waits ~2.0 µs <
// budget 800 µs = 20 wake-ups of 40 µs; 2 waiting on 2 core(s))".
std::string DescribeWait(WaitPolicy policy, const WaitHistory& history, const WaitSetting& setting);
// DescribeWait, then how often each choice was made: "...; of 5000 waits,
// 4990 spin, 10 sleep".
std::string DescribeWaits(WaitPolicy policy, const WaitHistory& history, const WaitSetting& setting,
                          const WaitCounts& counts);

// One waiting side's memory of its recent waits.
class WaitLearner {
 public:
  WaitLearner(WaitPolicy policy, WaitSetting setting) : policy_(policy), setting_(setting) {}

  WaitPolicy policy() const { return policy_; }
  const WaitSetting& setting() const { return setting_; }
  const WaitHistory& history() const { return history_; }

  // The decision for the next wait; remembered for Observe, and counted.
  WaitDecision Next();
  // How long the wait decided last lasted, until the peer's answer (or its
  // timeout); it goes to the mean of the way that wait went.
  void Observe(int64_t waited_ns);
  // How long the tasks of a frame computed on average (MeanComputeNs,
  // shared/task_frame.h; < 0: none computed): whether a pause before
  // yielding would take a core from work.
  void ObserveTask(int64_t task_ns);
  // Whether task times can change a decision (adaptive, oversubscribed: the
  // pause before yielding); callers skip computing them otherwise.
  bool LearnsTasks() const { return policy_ == WaitPolicy::kAdaptive && setting_.oversubscribed(); }
  // How many waits Next() decided this way.
  uint64_t chosen(WaitChoice choice) const { return chosen_.by_choice[static_cast<int>(choice)]; }
  // DescribeWaits for what was learned, and how often each choice was made.
  std::string Describe() const { return DescribeWaits(policy_, history_, setting_, chosen_); }

 private:
  WaitPolicy policy_;
  WaitSetting setting_;
  WaitHistory history_;
  WaitChoice last_ = WaitChoice::kSleep;  // of the last Next()
  bool last_explored_ = false;            // the last Next() was an exploration
  WaitCounts chosen_;
};

// One futex wake-up on this machine, in ns: the median of 15, each from the
// waker's FutexWake to the sleeping thread running again. Measured on the
// first call (well under a millisecond plus 17 wake-ups), then remembered.
// Never 0.
int64_t MeasureWakeCostNs();

}  // namespace parlab
