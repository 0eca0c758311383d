// What --wait adaptive decides: a pure function of the policy, the recent
// waits and the machine (waiters, cores, wake-up cost), and the learner that
// keeps the recent waits. No timings are asserted.
#include "shared/shm/adaptive_wait.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <string>

namespace parlab {
namespace {

WaitSetting Machine(int waiters, int cores, int64_t wake_cost_ns) {
  WaitSetting setting;
  setting.waiters = waiters;
  setting.cores = cores;
  setting.wake_cost_ns = wake_cost_ns;
  return setting;
}

TEST(AdaptiveWaitTest, BudgetIsTwentyWakeUpsWithinItsBounds) {
  EXPECT_EQ(SpinBudgetNs(40'000), 800'000);  // a 40 µs wake-up (a busy VM)
  EXPECT_EQ(SpinBudgetNs(1'000), kMinSpinBudgetNs);
  EXPECT_EQ(SpinBudgetNs(0), kMinSpinBudgetNs);
  EXPECT_EQ(SpinBudgetNs(1'000'000), kMaxSpinBudgetNs);
  EXPECT_EQ(SpinBudgetNs(INT64_MAX), kMaxSpinBudgetNs);
}

WaitHistory History(int64_t spun_ns, int64_t slept_ns, uint64_t waits = 0) {
  WaitHistory history;
  history.spun_ns = spun_ns;
  history.slept_ns = slept_ns;
  history.waits = waits;
  return history;
}

TEST(AdaptiveWaitTest, SpinAndBlockAreNotAdaptive) {
  const WaitSetting crowded = Machine(8, 2, 40'000);
  const WaitDecision spin = DecideWait(WaitPolicy::kSpin, History(10'000'000, 1'000), crowded);
  EXPECT_EQ(spin.choice, WaitChoice::kSpin);
  EXPECT_EQ(spin.spin_ns, INT64_MAX);
  EXPECT_EQ(spin.reason, WaitReason::kForcedSpin);
  const WaitDecision block =
      DecideWait(WaitPolicy::kBlock, History(1'000, -1, kExplorePeriod - 1), Machine(2, 16, 5'000));
  EXPECT_EQ(block.choice, WaitChoice::kSleep);
  EXPECT_EQ(block.spin_ns, 0);
  EXPECT_EQ(block.reason, WaitReason::kForcedBlock);
}

TEST(AdaptiveWaitTest, SpinsWhileAnswersComeBackWithinTheBudget) {
  const WaitSetting room = Machine(2, 2, 40'000);  // 1 worker + coordinator on 2 cores
  const WaitDecision tiny = DecideWait(WaitPolicy::kAdaptive, History(2'000, -1), room);
  EXPECT_EQ(tiny.choice, WaitChoice::kSpin);
  EXPECT_EQ(tiny.spin_ns, 800'000);
  EXPECT_EQ(tiny.reason, WaitReason::kWithinBudget);
  // Once a slept wait is known, no longer than twice it: longer cannot win.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(2'000, 45'000), room).spin_ns, 90'000);
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(500, 1'000), room).spin_ns, kMinSpinNs);
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(2'000, 600'000), room).spin_ns, 800'000);
  // 100 µs tasks on a fast machine still spin: the budget has a floor.
  const WaitDecision hundred =
      DecideWait(WaitPolicy::kAdaptive, History(100'000, -1), Machine(2, 16, 4'000));
  EXPECT_EQ(hundred.choice, WaitChoice::kSpin);
  EXPECT_EQ(hundred.budget_ns, kMinSpinBudgetNs);
  // Exactly the budget still spins.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(800'000, -1), room).choice,
            WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, SleepsAtOnceWhenWaitsOutlastTheBudget) {
  const WaitDecision d =
      DecideWait(WaitPolicy::kAdaptive, History(900'000, -1), Machine(2, 2, 40'000));
  EXPECT_EQ(d.choice, WaitChoice::kSleep);
  EXPECT_EQ(d.spin_ns, 0);
  EXPECT_EQ(d.reason, WaitReason::kBeyondBudget);
}

// A machine busy with other work: the spinner holds the core its peer needs,
// and slept waits come back sooner.
TEST(AdaptiveWaitTest, SleepsWhenSleepingWasFaster) {
  const WaitDecision d =
      DecideWait(WaitPolicy::kAdaptive, History(150'000, 18'000), Machine(2, 2, 3'000));
  EXPECT_EQ(d.choice, WaitChoice::kSleep);
  EXPECT_EQ(d.reason, WaitReason::kSleepIsFaster);
}

TEST(AdaptiveWaitTest, SpinWindowsAreTheSameStretchesOfTheOneClockForEverySide) {
  EXPECT_FALSE(InSpinWindow(-1));  // no clock given: no window
  EXPECT_TRUE(InSpinWindow(0));
  EXPECT_TRUE(InSpinWindow(kSpinWindowNs - 1));
  EXPECT_FALSE(InSpinWindow(kSpinWindowNs));
  EXPECT_FALSE(InSpinWindow(kSpinWindowPeriodNs - 1));
  EXPECT_TRUE(InSpinWindow(7 * kSpinWindowPeriodNs + 5));
}

// Both sides asleep: each one's spun exploration waited for a sleeping peer
// and looked slower than sleeping. In a shared window a side that sleeps
// because sleeping was faster spins (yielding: the peer it wakes may share
// its core), so both spin at once; outside it, and for a side that sleeps
// through long tasks, nothing changes.
TEST(AdaptiveWaitTest, ASideThatSleptBecauseItWasFasterSpinsInTheSharedWindows) {
  const WaitSetting machine = Machine(2, 2, 3'000);
  const WaitHistory sleeps_faster = History(150'000, 18'000);
  const int64_t in_window = 3 * kSpinWindowPeriodNs + 10;
  const WaitDecision inside = DecideWait(WaitPolicy::kAdaptive, sleeps_faster, machine, in_window);
  EXPECT_EQ(inside.choice, WaitChoice::kYield);
  EXPECT_EQ(inside.reason, WaitReason::kExploring);
  EXPECT_EQ(inside.spin_ns, std::max(kMinSpinNs, kSpinPerSleptWait * 18'000));
  const WaitDecision outside = DecideWait(WaitPolicy::kAdaptive, sleeps_faster, machine,
                                          3 * kSpinWindowPeriodNs + kSpinWindowNs);
  EXPECT_EQ(outside.choice, WaitChoice::kSleep);
  EXPECT_EQ(outside.reason, WaitReason::kSleepIsFaster);
  WaitHistory long_tasks = History(1'000'000, 18'000);
  long_tasks.outlasted = kShareOne;
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, long_tasks, machine, in_window).choice,
            WaitChoice::kSleep);
  EXPECT_EQ(DecideWait(WaitPolicy::kBlock, sleeps_faster, machine, in_window).choice,
            WaitChoice::kSleep);
}

TEST(AdaptiveWaitTest, YieldsInsteadOfSpinningWhenOversubscribed) {
  const WaitDecision d =
      DecideWait(WaitPolicy::kAdaptive, History(2'000, -1), Machine(3, 2, 40'000));
  EXPECT_EQ(d.choice, WaitChoice::kYield);
  EXPECT_EQ(d.spin_ns, 800'000);
  // Long waits sleep, oversubscribed or not.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(5'000'000, -1), Machine(3, 2, 40'000)).choice,
            WaitChoice::kSleep);
  // As many waiters as cores is not oversubscribed.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(2'000, -1), Machine(16, 16, 5'000)).choice,
            WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, PausesBeforeYieldingOnlyForShortWaitsOfTinyTasks) {
  auto with_tasks = [](WaitHistory history, int64_t task_ns) {
    history.task_ns = task_ns;
    return history;
  };
  const WaitSetting crowded = Machine(3, 2, 40'000);
  const WaitDecision noop =
      DecideWait(WaitPolicy::kAdaptive, with_tasks(History(2'000, -1), 10), crowded);
  EXPECT_EQ(noop.choice, WaitChoice::kYield);
  EXPECT_EQ(noop.pause_ns, kPauseBeforeYieldNs);
  // Tasks that compute: the pause would hold a core a worker needs.
  EXPECT_EQ(
      DecideWait(WaitPolicy::kAdaptive, with_tasks(History(2'000, -1), 2'000), crowded).pause_ns,
      0);
  // Tasks not known (a side nobody tells): no pause.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(2'000, -1), crowded).pause_ns, 0);
  // Long waits: no pause.
  EXPECT_EQ(
      DecideWait(WaitPolicy::kAdaptive, with_tasks(History(50'000, -1), 10), crowded).pause_ns, 0);
  // Not oversubscribed: it spins anyway.
  EXPECT_EQ(
      DecideWait(WaitPolicy::kAdaptive, with_tasks(History(2'000, -1), 10), Machine(2, 2, 40'000))
          .choice,
      WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, LearnerKeepsAMeanOfItsTasks) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(3, 2, 40'000));
  learner.ObserveTask(-1);  // a frame without a task that computed
  EXPECT_EQ(learner.history().task_ns, -1);
  learner.ObserveTask(800);
  EXPECT_EQ(learner.history().task_ns, 800);
  learner.ObserveTask(8'800);
  EXPECT_EQ(learner.history().task_ns, 1'800);  // 1/8 of the way
  EXPECT_EQ(learner.Next().pause_ns, 0);
  EXPECT_TRUE(learner.LearnsTasks());
  // Task times change nothing unless adaptive and oversubscribed.
  EXPECT_FALSE(WaitLearner(WaitPolicy::kAdaptive, Machine(2, 2, 40'000)).LearnsTasks());
  EXPECT_FALSE(WaitLearner(WaitPolicy::kSpin, Machine(3, 2, 40'000)).LearnsTasks());
}

TEST(AdaptiveWaitTest, SpinsBeforeItHasSeenAWait) {
  const WaitDecision d = DecideWait(WaitPolicy::kAdaptive, WaitHistory{}, Machine(2, 4, 10'000));
  EXPECT_EQ(d.choice, WaitChoice::kSpin);
  EXPECT_EQ(d.reason, WaitReason::kNotYetLearned);
}

TEST(AdaptiveWaitTest, EveryExplorePeriodthWaitTriesTheOtherWay) {
  const WaitSetting room = Machine(2, 2, 40'000);
  const WaitDecision spin_explores_sleep =
      DecideWait(WaitPolicy::kAdaptive, History(2'000, -1, kExplorePeriod - 1), room);
  EXPECT_EQ(spin_explores_sleep.choice, WaitChoice::kSleep);
  EXPECT_EQ(spin_explores_sleep.reason, WaitReason::kExploring);
  const WaitDecision sleep_explores_spin =
      DecideWait(WaitPolicy::kAdaptive, History(150'000, 18'000, 2 * kExplorePeriod - 1), room);
  EXPECT_EQ(sleep_explores_spin.choice, WaitChoice::kSpin);
  EXPECT_EQ(sleep_explores_spin.spin_ns, 36'000);  // a short try
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, History(2'000, -1, kExplorePeriod), room).choice,
            WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, LearnerKeepsSpunAndSleptWaitsApart) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 40'000));  // budget 800 µs
  ASSERT_EQ(learner.Next().choice, WaitChoice::kSpin);
  learner.Observe(2'000);
  EXPECT_EQ(learner.history().spun_ns, 2'000);
  EXPECT_LT(learner.history().slept_ns, 0);
  // One long idle wait (between trials) does not turn it to sleep, nor move
  // the spun mean...
  learner.Next();
  learner.Observe(1'000'000'000);
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSpin);
  learner.Observe(2'000);
  EXPECT_EQ(learner.history().spun_ns, 2'000);
  // ...but a run of long ones does, and short ones (seen when exploring)
  // bring spinning back.
  int sleeps = 0;
  for (int i = 0; i < 300; ++i) {
    sleeps += learner.Next().choice == WaitChoice::kSleep;
    learner.Observe(5'000'000);
  }
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSleep);
  EXPECT_GT(sleeps, 250);
  // Answers now come in 3 µs: a sleeper sees them a wake-up (40 µs) later.
  for (int i = 0; i < 40 * static_cast<int>(kExplorePeriod); ++i) {
    learner.Observe(learner.Next().choice == WaitChoice::kSleep ? 43'000 : 3'000);
  }
  EXPECT_EQ(
      DecideWait(WaitPolicy::kAdaptive,
                 History(learner.history().spun_ns, learner.history().slept_ns), learner.setting())
          .choice,
      WaitChoice::kSpin);
}

// The trap `run noop --workers 1 --inflight 1` fell into: spun waits of
// 0.5 µs, slept ones (from exploring) of 5 µs, then a worker's idle wait
// between two trials. Sleeping must not now look faster than spinning.
TEST(AdaptiveWaitTest, AnIdleWaitBetweenTrialsDoesNotMakeSleepingLookFaster) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 5'000));  // budget 200 µs
  for (int i = 0; i < 4 * static_cast<int>(kExplorePeriod); ++i) {
    learner.Observe(learner.Next().choice == WaitChoice::kSleep ? 5'000 : 500);
  }
  ASSERT_EQ(learner.history().slept_ns, 5'000);
  learner.Next();
  learner.Observe(3'000'000);  // the coordinator wrote a trial's records
  int sleeps = 0;
  for (int i = 0; i < static_cast<int>(kExplorePeriod) - 2; ++i) {
    const bool slept = learner.Next().choice == WaitChoice::kSleep;
    sleeps += slept;
    learner.Observe(slept ? 5'000 : 500);
  }
  EXPECT_EQ(sleeps, 0) << learner.Describe();
}

TEST(AdaptiveWaitTest, ExploresEarlyThenEveryPeriod) {
  EXPECT_FALSE(IsExploration(0));
  EXPECT_FALSE(IsExploration(7));
  EXPECT_TRUE(IsExploration(kFirstExplore - 1));
  EXPECT_FALSE(IsExploration(kFirstExplore));
  EXPECT_TRUE(IsExploration(2 * kFirstExplore - 1));
  EXPECT_TRUE(IsExploration(kExplorePeriod / 2 - 1));
  EXPECT_FALSE(IsExploration(kExplorePeriod / 2 + kFirstExplore - 1));
  EXPECT_TRUE(IsExploration(kExplorePeriod - 1));
  EXPECT_FALSE(IsExploration(2 * kExplorePeriod - 2));
  EXPECT_TRUE(IsExploration(2 * kExplorePeriod - 1));
  EXPECT_FALSE(IsExploration(3 * kExplorePeriod / 2 - 1));  // powers of two only at the start
}

// What `bench ipc --quick` showed: a coordinator whose first waits were slow
// (a cold worker: ~100 µs within the budget, then a few beyond it) learned to
// sleep, and slept waits of ~9 µs then looked faster than the stale spun mean
// for thousands of waits, though spinning now answers in 2 µs.
TEST(AdaptiveWaitTest, ForgetsASlowStartWithinAFewHundredWaits) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 40'000));  // budget 800 µs
  for (int i = 0; i < 3; ++i) {
    learner.Next();
    learner.Observe(100'000);
  }
  for (int i = 0; i < 6; ++i) {
    learner.Next();
    learner.Observe(1'000'000);
  }
  ASSERT_EQ(learner.Next().choice, WaitChoice::kSleep) << learner.Describe();
  learner.Observe(9'000);
  int late_sleeps = 0;
  for (int i = 0; i < 300; ++i) {
    const bool slept = learner.Next().choice == WaitChoice::kSleep;
    if (i >= 100) late_sleeps += slept;
    learner.Observe(slept ? 9'000 : 2'000);
  }
  EXPECT_LE(late_sleeps, 2) << learner.Describe();  // the explorations at most
  EXPECT_NE(learner.Describe().find("adaptive → spin"), std::string::npos) << learner.Describe();
}

// Tasks longer than the budget: after a few spun waits that outlast it, the
// side sleeps at once, and says why.
TEST(AdaptiveWaitTest, LearnsToSleepThroughLongTasks) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 5'000));  // budget 200 µs
  int spins = 0;
  for (int i = 0; i < 20; ++i) {
    spins += learner.Next().choice == WaitChoice::kSpin;
    learner.Observe(1'000'000);
  }
  EXPECT_LE(spins, 8);
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSleep);
  EXPECT_NE(learner.Describe().find("of spun waits outlast the budget 200 µs"), std::string::npos)
      << learner.Describe();
}

TEST(AdaptiveWaitTest, DescribesItsChoiceAndWhy) {
  const std::string spin =
      DescribeWait(WaitPolicy::kAdaptive, History(2'000, -1), Machine(2, 2, 40'000));
  EXPECT_NE(spin.find("adaptive → spin"), std::string::npos) << spin;
  EXPECT_NE(spin.find("2.0 µs < budget 800 µs"), std::string::npos) << spin;
  EXPECT_NE(spin.find("2 waiting on 2 core(s)"), std::string::npos) << spin;
  const std::string crowded =
      DescribeWait(WaitPolicy::kAdaptive, History(2'000, -1), Machine(3, 2, 40'000));
  EXPECT_NE(crowded.find("→ yield"), std::string::npos) << crowded;
  EXPECT_NE(crowded.find("3 waiting on 2 core(s)"), std::string::npos) << crowded;
  WaitHistory noops = History(2'000, -1);
  noops.task_ns = 10;
  const std::string pausing = DescribeWait(WaitPolicy::kAdaptive, noops, Machine(3, 2, 40'000));
  EXPECT_NE(pausing.find("yielding the core after 5.0 µs of PAUSE: tasks ~10 ns"),
            std::string::npos)
      << pausing;
  const std::string slow =
      DescribeWait(WaitPolicy::kAdaptive, History(5'000'000, -1), Machine(2, 2, 40'000));
  EXPECT_NE(slow.find("→ sleep"), std::string::npos) << slow;
  const std::string busy =
      DescribeWait(WaitPolicy::kAdaptive, History(150'000, 18'000), Machine(2, 2, 3'000));
  EXPECT_NE(busy.find("slept waits ~18.0 µs < spun waits ~150 µs"), std::string::npos) << busy;
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 40'000));
  learner.Next();
  learner.Next();
  EXPECT_NE(learner.Describe().find("of 2 waits, 2 spin"), std::string::npos) << learner.Describe();
}

TEST(AdaptiveWaitTest, MeasuresAWakeUpCostOnce) {
  const int64_t first = MeasureWakeCostNs();
  EXPECT_GT(first, 0);
  EXPECT_EQ(MeasureWakeCostNs(), first);  // remembered, not measured again
}

}  // namespace
}  // namespace parlab
