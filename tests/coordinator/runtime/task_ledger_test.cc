// TaskLedger: every task settles exactly once; a dead worker's tasks are
// requeued; only the task it was running (or the frame whose answer came back
// corrupt) is charged; bad answers are refused.
#include "coordinator/runtime/task_ledger.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>
#include <vector>

namespace parlab {
namespace {

TaskAnswer Ok(uint64_t id, double checksum = 1.0) {
  TaskAnswer answer;
  answer.id = id;
  answer.status = pb::TASK_OK;
  answer.checksum = checksum;
  answer.compute_start_ns = 10;
  answer.compute_end_ns = 20;
  return answer;
}

TaskLedger::Blame Running(uint64_t id) {
  TaskLedger::Blame blame;
  blame.running_id = id;
  return blame;
}

TEST(TaskLedgerTest, HandsOutFreshTasksInOrderAndSettlesAnswers) {
  TaskLedger ledger(/*trial=*/0, /*first_id=*/100, /*tasks=*/3, /*workers=*/2, /*max_attempts=*/3);
  EXPECT_EQ(ledger.Take(0, 1, /*frame=*/0), 0u);
  EXPECT_EQ(ledger.Take(1, 1, /*frame=*/0), 1u);
  EXPECT_EQ(ledger.Take(0, 1, /*frame=*/0), 2u);
  EXPECT_FALSE(ledger.HasWork());
  EXPECT_EQ(ledger.held_by(0), 2);
  ASSERT_TRUE(ledger.Answer(0, Ok(100, 5.0), 30).ok());
  ASSERT_TRUE(ledger.Answer(1, Ok(101), 30).ok());
  EXPECT_FALSE(ledger.Complete());
  ASSERT_TRUE(ledger.Answer(0, Ok(102), 30).ok());
  EXPECT_TRUE(ledger.Complete());
  const std::vector<TaskRecord> records = ledger.TakeRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].id, 100u);
  EXPECT_EQ(records[0].checksum, 5.0);
  EXPECT_EQ(records[0].attempt, 1);
  EXPECT_EQ(records[0].t.result_dequeued_ns, 30);
  EXPECT_EQ(records[1].worker, 1);
}

TEST(TaskLedgerTest, RefusesAnswersThatCannotBeRight) {
  TaskLedger ledger(0, 100, 2, 2, 3);
  ledger.Take(0, 1, /*frame=*/0);
  EXPECT_FALSE(ledger.Answer(0, Ok(99), 2).ok());   // another trial
  EXPECT_FALSE(ledger.Answer(0, Ok(102), 2).ok());  // past the trial
  EXPECT_FALSE(ledger.Answer(1, Ok(100), 2).ok());  // worker 1 does not hold it
  EXPECT_FALSE(ledger.Answer(0, Ok(101), 2).ok());  // never sent
  EXPECT_TRUE(ledger.Answer(0, Ok(100), 2).ok());
}

TEST(TaskLedgerTest, FirstAnswerCounts) {
  TaskLedger ledger(0, 0, 1, 1, 3);
  ledger.Take(0, 1, /*frame=*/0);
  ASSERT_TRUE(ledger.Answer(0, Ok(0, 1.0), 2).ok());
  ASSERT_TRUE(ledger.Answer(0, Ok(0, 2.0), 3).ok());  // a duplicate is ignored
  EXPECT_EQ(ledger.TakeRecords()[0].checksum, 1.0);
}

TEST(TaskLedgerTest, DeadWorkersTasksAreRequeuedAndOnlyTheRunningOneCharged) {
  TaskLedger ledger(0, 10, 4, 2, /*max_attempts=*/2);
  for (int k = 0; k < 3; ++k) ledger.Take(0, 1, /*frame=*/0);  // slots 0, 1, 2 to worker 0
  ledger.Take(1, 1, /*frame=*/0);                              // slot 3 to worker 1
  const TaskLedger::Loss loss = ledger.WorkerLost(0, Running(11), TaskOutcome::kWorkerDied, 9);
  EXPECT_EQ(loss.requeued, 3);
  EXPECT_EQ(loss.failed, 0);
  EXPECT_EQ(ledger.held_by(0), 0);
  EXPECT_EQ(ledger.held_by(1), 1);
  // Requeued tasks go out before anything else, to whichever worker asks.
  EXPECT_EQ(ledger.Take(1, 2, /*frame=*/0), 0u);
  EXPECT_EQ(ledger.Take(1, 2, /*frame=*/0), 1u);
  EXPECT_EQ(ledger.Take(0, 2, /*frame=*/0), 2u);
  EXPECT_FALSE(ledger.HasWork());
  EXPECT_EQ(ledger.record(1).attempt, 2);
  EXPECT_EQ(ledger.record(1).signal, 9);
  // Slot 1 (id 11) kills its second worker too: out of attempts, it fails.
  const TaskLedger::Loss again = ledger.WorkerLost(1, Running(11), TaskOutcome::kWorkerDied, 6);
  EXPECT_EQ(again.failed, 1);
  EXPECT_EQ(again.requeued, 2);  // slots 0 and 3, innocent
  EXPECT_EQ(ledger.record(1).outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(ledger.record(1).signal, 6);
  EXPECT_EQ(ledger.record(0).outcome, TaskOutcome::kOk);
  while (ledger.HasWork()) ledger.Take(0, 3, /*frame=*/0);
  ASSERT_TRUE(ledger.Answer(0, Ok(10), 4).ok());
  ASSERT_TRUE(ledger.Answer(0, Ok(12), 4).ok());
  ASSERT_TRUE(ledger.Answer(0, Ok(13), 4).ok());
  EXPECT_TRUE(ledger.Complete());
}

TEST(TaskLedgerTest, RunningTaskOfAnotherWorkerIsNotCharged) {
  TaskLedger ledger(0, 0, 2, 2, 1);
  ledger.Take(0, 1, /*frame=*/0);
  ledger.Take(1, 1, /*frame=*/0);
  // A stale board names task 1, which worker 1 holds: worker 0's death is not its fault.
  const TaskLedger::Loss loss = ledger.WorkerLost(0, Running(1), TaskOutcome::kWorkerDied, 9);
  EXPECT_EQ(loss.failed, 0);
  EXPECT_EQ(loss.requeued, 1);
  EXPECT_EQ(ledger.held_by(1), 1);
}

TEST(TaskLedgerTest, TimedOutTaskFailsWithThatReason) {
  TaskLedger ledger(0, 0, 1, 1, 1);
  ledger.Take(0, 1, /*frame=*/0);
  const TaskLedger::Loss loss = ledger.WorkerLost(0, Running(0), TaskOutcome::kTimedOut, 9);
  EXPECT_EQ(loss.failed, 1);
  EXPECT_TRUE(ledger.Complete());
  EXPECT_EQ(ledger.record(0).outcome, TaskOutcome::kTimedOut);
}

TEST(TaskLedgerTest, CorruptAnswerChargesTheTasksOfTheOldestUnansweredFrame) {
  TaskLedger ledger(0, 0, 6, 2, /*max_attempts=*/1);
  ledger.Take(0, 1, /*frame=*/7);  // slot 0: answered below
  ledger.Take(0, 1, /*frame=*/8);  // slots 1, 2: the oldest frame still unanswered
  ledger.Take(0, 1, /*frame=*/8);
  ledger.Take(1, 1, /*frame=*/9);   // slot 3: another worker's, untouched
  ledger.Take(0, 1, /*frame=*/10);  // slots 4, 5: sent after it, innocent
  ledger.Take(0, 1, /*frame=*/10);
  ASSERT_TRUE(ledger.Answer(0, Ok(0), 2).ok());
  TaskLedger::Blame blame;
  blame.oldest_frame = true;
  const TaskLedger::Loss loss = ledger.WorkerLost(0, blame, TaskOutcome::kCorruptAnswer, 9);
  EXPECT_EQ(loss.failed, 2);
  EXPECT_EQ(loss.requeued, 2);
  EXPECT_EQ(ledger.record(1).outcome, TaskOutcome::kCorruptAnswer);
  EXPECT_EQ(ledger.record(2).outcome, TaskOutcome::kCorruptAnswer);
  EXPECT_EQ(ledger.record(4).outcome, TaskOutcome::kOk);
  EXPECT_EQ(ledger.held_by(1), 1);
  EXPECT_EQ(ledger.Take(1, 2, /*frame=*/11), 4u);  // the innocent ones go out again
  EXPECT_EQ(ledger.Take(1, 2, /*frame=*/11), 5u);
}

TEST(TaskLedgerTest, KernelErrorFailsAtOnceAndIsReported) {
  TaskLedger ledger(0, 0, 1, 1, 3);
  ledger.Take(0, 1, /*frame=*/0);
  TaskAnswer refused;
  refused.id = 0;
  refused.status = pb::TASK_FAILED;
  refused.error = "payload too small";
  refused.decoded_ns = 5;
  ASSERT_TRUE(ledger.Answer(0, refused, 9).ok());
  EXPECT_TRUE(ledger.Complete());
  EXPECT_EQ(ledger.record(0).outcome, TaskOutcome::kFailed);
  EXPECT_EQ(ledger.record(0).t.compute_start_ns, 5);  // no compute: its phases measure 0
  EXPECT_EQ(ledger.record(0).t.compute_end_ns, 5);
  EXPECT_NE(ledger.first_error().find("payload too small"), std::string::npos);
}

// Dispatch shards: fresh slots are claimed in blocks, a share of what is
// left, never past the trial; unclaimed ones wait as requeued ones do.
TEST(TaskLedgerTest, ClaimsFreshSlotsInShrinkingBlocksAndNeverPastTheTrial) {
  TaskLedger ledger(0, 0, 100, 2, 3);
  uint64_t first = 99;
  EXPECT_EQ(ledger.ClaimFresh(64, 4, &first), 25u);  // 100 / 4
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(ledger.ClaimFresh(10, 4, &first), 10u);  // at most `most`
  EXPECT_EQ(first, 25u);
  EXPECT_EQ(ledger.ClaimFresh(64, 4, &first), 16u);   // 65 / 4
  EXPECT_EQ(ledger.ClaimFresh(64, 100, &first), 1u);  // at least one
  EXPECT_EQ(first, 51u);
  EXPECT_EQ(ledger.ClaimFresh(64, 1, &first), 48u);  // the rest
  EXPECT_FALSE(ledger.HasWork());
  EXPECT_EQ(ledger.ClaimFresh(64, 1, &first), 0u);
  ledger.Unclaim(60, 2);  // a shard stopped with two it had not sent
  EXPECT_TRUE(ledger.HasWork());
  EXPECT_EQ(ledger.TakeRequeued(), std::optional<uint64_t>(60));
  ledger.Assign(61 - 1, 1, 5, /*frame=*/0);
  EXPECT_EQ(ledger.record(60).attempt, 1);
  EXPECT_EQ(ledger.held_by(1), 1);
  EXPECT_EQ(ledger.Take(0, 5, 0), 61u);
  EXPECT_FALSE(ledger.HasWork());
}

// Shards hand out and settle at once, each for its own workers: every task
// is answered exactly once and the trial completes (ThreadSanitizer checks
// that no slot is touched by two threads).
TEST(TaskLedgerTest, ShardsClaimAndSettleConcurrentlyExactlyOnce) {
  constexpr int kShards = 4;
  constexpr uint64_t kTasks = 20'000;
  TaskLedger ledger(0, 1000, kTasks, kShards * 2, 3);
  std::vector<int> shard_of;
  for (int w = 0; w < kShards * 2; ++w) shard_of.push_back(w / 2);
  ledger.SetShards(shard_of, kShards);
  std::vector<std::thread> threads;
  for (int s = 0; s < kShards; ++s) {
    threads.emplace_back([&ledger, s] {
      uint64_t next = 0;
      uint64_t end = 0;
      for (uint64_t k = 0;; ++k) {
        if (next == end) {
          const uint64_t claimed = ledger.ClaimFresh(64, 16, &next);
          if (claimed == 0) return;
          end = next + claimed;
        }
        const int worker = 2 * s + static_cast<int>(k % 2);
        const uint64_t slot = next++;
        ledger.Assign(slot, worker, 1, k);
        ASSERT_TRUE(ledger.Answer(worker, Ok(ledger.id(slot)), 2).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(ledger.Complete());
  const std::vector<TaskRecord> records = ledger.TakeRecords();
  ASSERT_EQ(records.size(), kTasks);
  for (const TaskRecord& r : records) {
    EXPECT_EQ(r.outcome, TaskOutcome::kOk) << r.id;
    EXPECT_EQ(r.attempt, 1) << r.id;
  }
}

}  // namespace
}  // namespace parlab
