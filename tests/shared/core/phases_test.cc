#include "shared/phases.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TaskRecord Make(uint64_t id, int worker, TaskStamps t) {
  TaskRecord r;
  r.id = id;
  r.worker = worker;
  r.t = t;
  return r;
}

TEST(PhasesTest, SplitsOneTaskIntoItsPhases) {
  // submit 0, enqueued 10, dequeued 15, decoded 17, compute 20..120, result 125, taken 130
  std::vector<TaskRecord> records = {Make(0, 0, {0, 10, 15, 17, 20, 120, 125, 130})};
  const TaskPhases p = SplitPhases(records)[0];
  EXPECT_EQ(p.encode_ns, 10);
  EXPECT_EQ(p.queue_ns, 0);
  EXPECT_EQ(p.wake_ns, 5);
  EXPECT_EQ(p.decode_ns, 5);  // 15..17 decode + 17..20 binding views
  EXPECT_EQ(p.compute_ns, 100);
  EXPECT_EQ(p.return_ns, 10);
  EXPECT_EQ(p.overhead_ns(), 30);
  EXPECT_EQ(p.end_to_end_ns(), 130);
}

TEST(PhasesTest, WaitBehindAnEarlierTaskIsQueueNotWakeUp) {
  // Task 1 is queued at 12 while task 0 computes until 120; task 0's answer
  // is written and taken by 130, and the worker takes task 1 at 133: 118 ns
  // of queueing, 3 ns of wake-up.
  std::vector<TaskRecord> records = {
      Make(1, 0, {11, 12, 133, 134, 134, 200, 200, 210}),
      Make(0, 0, {0, 10, 15, 17, 20, 120, 120, 130}),
  };
  const std::vector<TaskPhases> phases = SplitPhases(records);
  EXPECT_EQ(phases[0].queue_ns, 118);
  EXPECT_EQ(phases[0].wake_ns, 3);
  EXPECT_EQ(phases[1].queue_ns, 0);
}

TEST(PhasesTest, APipelinedTaskIsNotChargedItsNeighboursAnswer) {
  // The worker takes the waiting task 1 at 127, while task 0's answer (from
  // 120) is still on its way: 120..127 is in task 0's return phase and must
  // not be task 1's wake-up too (with cold caches it was half the overhead).
  std::vector<TaskRecord> records = {
      Make(0, 0, {0, 10, 15, 17, 20, 120, 120, 130}),
      Make(1, 0, {11, 12, 127, 128, 128, 200, 200, 210}),
  };
  const std::vector<TaskPhases> phases = SplitPhases(records);
  EXPECT_EQ(phases[0].return_ns, 10);
  EXPECT_EQ(phases[1].wake_ns, 0);
  EXPECT_EQ(phases[1].queue_ns, 115);
}

TEST(PhasesTest, ATaskSentOnceItsWorkerWasFreeWakesFromItsEnqueue) {
  // Task 1 arrives at 126, after the worker finished task 0 (120) and while
  // the coordinator was still taking that answer; the worker, waiting for
  // it, takes it at 140: all 14 ns are wake-up.
  std::vector<TaskRecord> records = {
      Make(0, 0, {0, 10, 15, 17, 20, 120, 120, 130}),
      Make(1, 0, {125, 126, 140, 141, 141, 200, 200, 210}),
  };
  const std::vector<TaskPhases> phases = SplitPhases(records);
  EXPECT_EQ(phases[1].queue_ns, 0);
  EXPECT_EQ(phases[1].wake_ns, 14);
}

TEST(PhasesTest, AThreadsClaimIsItsWakeUp) {
  // The threads mode: every task is enqueued when the trial opens, and
  // nothing travels back (taken = enqueued = compute end). Task 1's claim
  // after task 0 ended at 120 took 5 ns: its wake-up, not queueing.
  std::vector<TaskRecord> records = {
      Make(0, 0, {0, 0, 10, 10, 10, 120, 120, 120}),
      Make(1, 0, {0, 0, 125, 125, 125, 200, 200, 200}),
  };
  const std::vector<TaskPhases> phases = SplitPhases(records);
  EXPECT_EQ(phases[1].queue_ns, 120);
  EXPECT_EQ(phases[1].wake_ns, 5);
}

TEST(PhasesTest, WorkersAreIndependent) {
  std::vector<TaskRecord> records = {
      Make(0, 0, {0, 10, 15, 15, 15, 1000, 1000, 1000}),
      Make(1, 1, {0, 10, 20, 20, 20, 30, 30, 30}),
  };
  const std::vector<TaskPhases> phases = SplitPhases(records);
  EXPECT_EQ(phases[1].queue_ns, 0);
  EXPECT_EQ(phases[1].wake_ns, 10);
}

TEST(PhasesTest, SamplesKeepOneSeriesPerPhaseInOrder) {
  TaskPhases a;
  a.encode_ns = 1;
  a.queue_ns = 2;
  a.wake_ns = 3;
  a.decode_ns = 4;
  a.compute_ns = 5;
  a.return_ns = 6;
  TaskPhases b;
  b.compute_ns = 50;
  PhaseSamples samples;
  samples.Add(a);
  samples.Add(b);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples.encode, (std::vector<double>{1, 0}));
  EXPECT_EQ(samples.queue, (std::vector<double>{2, 0}));
  EXPECT_EQ(samples.wake, (std::vector<double>{3, 0}));
  EXPECT_EQ(samples.decode, (std::vector<double>{4, 0}));
  EXPECT_EQ(samples.compute, (std::vector<double>{5, 50}));
  EXPECT_EQ(samples.ret, (std::vector<double>{6, 0}));
  EXPECT_EQ(samples.overhead, (std::vector<double>{1 + 3 + 4 + 6, 0}));  // queue is not overhead
}

}  // namespace
}  // namespace parlab
