// What --wait adaptive decides: a pure function of the policy, the recent
// waits and the machine (waiters, cores, wake-up cost), and the learner that
// keeps the recent waits. No timings are asserted.
#include "shared/shm/adaptive_wait.h"

#include <gtest/gtest.h>

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

TEST(AdaptiveWaitTest, SpinAndBlockAreNotAdaptive) {
  const WaitSetting crowded = Machine(8, 2, 40'000);
  const WaitDecision spin = DecideWait(WaitPolicy::kSpin, 10'000'000, crowded);
  EXPECT_EQ(spin.choice, WaitChoice::kSpin);
  EXPECT_EQ(spin.spin_ns, INT64_MAX);
  EXPECT_EQ(spin.reason, WaitReason::kForcedSpin);
  const WaitDecision block = DecideWait(WaitPolicy::kBlock, 1'000, Machine(2, 16, 5'000));
  EXPECT_EQ(block.choice, WaitChoice::kSleep);
  EXPECT_EQ(block.spin_ns, 0);
  EXPECT_EQ(block.reason, WaitReason::kForcedBlock);
}

TEST(AdaptiveWaitTest, SpinsWhileAnswersComeBackWithinTheBudget) {
  const WaitSetting room = Machine(2, 2, 40'000);  // 1 worker + coordinator on 2 cores
  const WaitDecision tiny = DecideWait(WaitPolicy::kAdaptive, 2'000, room);
  EXPECT_EQ(tiny.choice, WaitChoice::kSpin);
  EXPECT_EQ(tiny.spin_ns, 800'000);
  EXPECT_EQ(tiny.reason, WaitReason::kWithinBudget);
  // 100 µs tasks on a fast machine still spin: the budget has a floor.
  const WaitDecision hundred = DecideWait(WaitPolicy::kAdaptive, 100'000, Machine(2, 16, 4'000));
  EXPECT_EQ(hundred.choice, WaitChoice::kSpin);
  EXPECT_EQ(hundred.budget_ns, kMinSpinBudgetNs);
}

TEST(AdaptiveWaitTest, SleepsAtOnceWhenWaitsOutlastTheBudget) {
  const WaitDecision d = DecideWait(WaitPolicy::kAdaptive, 900'000, Machine(2, 2, 40'000));
  EXPECT_EQ(d.choice, WaitChoice::kSleep);
  EXPECT_EQ(d.spin_ns, 0);
  EXPECT_EQ(d.reason, WaitReason::kBeyondBudget);
  // Exactly the budget still spins.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, 800'000, Machine(2, 2, 40'000)).choice,
            WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, YieldsWhenOversubscribed) {
  const WaitDecision d = DecideWait(WaitPolicy::kAdaptive, 2'000, Machine(3, 2, 40'000));
  EXPECT_EQ(d.choice, WaitChoice::kYield);
  EXPECT_EQ(d.spin_ns, 800'000);
  EXPECT_EQ(d.reason, WaitReason::kOversubscribed);
  // Long waits sleep, oversubscribed or not.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, 5'000'000, Machine(3, 2, 40'000)).choice,
            WaitChoice::kSleep);
  // As many waiters as cores is not oversubscribed.
  EXPECT_EQ(DecideWait(WaitPolicy::kAdaptive, 2'000, Machine(16, 16, 5'000)).choice,
            WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, SpinsBeforeItHasSeenAWait) {
  const WaitDecision d = DecideWait(WaitPolicy::kAdaptive, -1, Machine(2, 4, 10'000));
  EXPECT_EQ(d.choice, WaitChoice::kSpin);
  EXPECT_EQ(d.reason, WaitReason::kNotYetLearned);
}

TEST(AdaptiveWaitTest, LearnerFollowsTheWaitsAndForgetsAnIdleOne) {
  WaitLearner learner(WaitPolicy::kAdaptive, Machine(2, 2, 40'000));  // budget 800 µs
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSpin);
  learner.Observe(2'000);
  EXPECT_EQ(learner.expected_wait_ns(), 2'000);
  // One long idle wait (between trials) does not turn it to sleep...
  learner.Observe(1'000'000'000);
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSpin);
  EXPECT_LE(learner.expected_wait_ns(), 2'000 + 4 * 800'000 / 8);
  // ...but a run of long waits does, and short ones bring spinning back.
  for (int i = 0; i < 40; ++i) learner.Observe(5'000'000);
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSleep);
  for (int i = 0; i < 80; ++i) learner.Observe(3'000);
  EXPECT_EQ(learner.Next().choice, WaitChoice::kSpin);
}

TEST(AdaptiveWaitTest, DescribesItsChoiceAndWhy) {
  const std::string spin = DescribeWait(WaitPolicy::kAdaptive, 2'000, Machine(2, 2, 40'000));
  EXPECT_NE(spin.find("adaptive → spin"), std::string::npos) << spin;
  EXPECT_NE(spin.find("2.0 µs < budget 800 µs"), std::string::npos) << spin;
  EXPECT_NE(spin.find("2 waiting on 2 core(s)"), std::string::npos) << spin;
  const std::string crowded = DescribeWait(WaitPolicy::kAdaptive, 2'000, Machine(3, 2, 40'000));
  EXPECT_NE(crowded.find("→ yield"), std::string::npos) << crowded;
  EXPECT_NE(crowded.find("3 waiting on 2 core(s)"), std::string::npos) << crowded;
  const std::string slow = DescribeWait(WaitPolicy::kAdaptive, 5'000'000, Machine(2, 2, 40'000));
  EXPECT_NE(slow.find("→ sleep"), std::string::npos) << slow;
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
