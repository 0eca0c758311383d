// WorkerBoard: what a worker publishes of its waits is what the coordinator
// reads back, and the running task's hint still works beside it.
#include "shared/shm/worker_board.h"

#include <gtest/gtest.h>

#include <string>

namespace parlab {
namespace {

TEST(WorkerBoardTest, StartsWithNothingPublished) {
  const WorkerBoard board{};
  WaitHistory history;
  const WaitCounts counts = board.PublishedWaits(history);
  EXPECT_EQ(counts.total(), 0u);
  EXPECT_LT(history.spun_ns, 0);
  EXPECT_LT(history.slept_ns, 0);
  EXPECT_EQ(board.running_task.load(), 0u);
}

TEST(WorkerBoardTest, PublishedWaitsReadBackAsTheLearnerHadThem) {
  WaitSetting setting;
  setting.waiters = 2;
  setting.cores = 2;
  setting.wake_cost_ns = 40'000;
  WaitLearner learner(WaitPolicy::kAdaptive, setting);
  for (int i = 0; i < 40; ++i) {
    const bool slept = learner.Next().choice == WaitChoice::kSleep;
    learner.Observe(slept ? 45'000 : 2'000);
  }
  WorkerBoard board{};
  board.Begin(7, 123);
  board.PublishWaits(learner);
  WaitHistory history;
  const WaitCounts counts = board.PublishedWaits(history);
  EXPECT_EQ(history.spun_ns, learner.history().spun_ns);
  EXPECT_EQ(history.slept_ns, learner.history().slept_ns);
  EXPECT_EQ(history.outlasted, learner.history().outlasted);
  EXPECT_EQ(counts.total(), 40u);
  EXPECT_EQ(counts.by_choice[static_cast<int>(WaitChoice::kSpin)],
            learner.chosen(WaitChoice::kSpin));
  EXPECT_EQ(counts.by_choice[static_cast<int>(WaitChoice::kSleep)],
            learner.chosen(WaitChoice::kSleep));
  EXPECT_EQ(DescribeWaits(WaitPolicy::kAdaptive, history, setting, counts), learner.Describe());
  EXPECT_EQ(board.running_task.load(), 8u);  // the task hint is untouched
}

}  // namespace
}  // namespace parlab
