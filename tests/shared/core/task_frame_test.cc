// Writing and reading a ResultFrame: what the writer puts in comes back out,
// the arrays must line up, failures must point at a task, stamps must fit,
// and a chunk's dequeued/decoded stamps follow the previous task's end.
#include "shared/task_frame.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tests/support/result_frame_answers.h"

namespace parlab {
namespace {

// A frame of `n` OK tasks, task i computing over [100 + 10i, 105 + 10i].
pb::ResultFrame Answers(int n) {
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, /*worker=*/2, /*dequeued_ns=*/50);
  for (int i = 0; i < n; ++i) {
    writer.AddRan(static_cast<uint64_t>(40 + i), pb::TASK_OK, {}, 1.5 * i, 8, 16, 100 + 10 * i,
                  105 + 10 * i);
  }
  SetDecoded(frame, 60);
  SetResultEnqueued(frame, 500);
  return frame;
}

TEST(TaskFrameTest, AChunksTasksAreTakenWhenTheOneBeforeEnds) {
  const pb::ResultFrame frame = Answers(3);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  EXPECT_EQ(frame.worker(), 2);
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].id, 40u);
  EXPECT_EQ(answers[0].dequeued_ns, 50);  // the frame's own stamps
  EXPECT_EQ(answers[0].decoded_ns, 60);
  EXPECT_EQ(answers[0].compute_start_ns, 100);
  EXPECT_EQ(answers[1].dequeued_ns, 105);  // task 0's end
  EXPECT_EQ(answers[1].decoded_ns, 105);
  EXPECT_EQ(answers[2].dequeued_ns, 115);
  EXPECT_EQ(answers[2].compute_start_ns, 120);
  EXPECT_EQ(answers[2].compute_end_ns, 125);
  EXPECT_EQ(answers[2].checksum, 3.0);
  EXPECT_EQ(answers[2].flops, 8);
  EXPECT_EQ(answers[2].bytes, 16);
  EXPECT_EQ(answers[2].result_enqueued_ns, 500);
}

TEST(TaskFrameTest, AFailureIsReadWithItsTaskAndARefusedTaskKeepsThePreviousEnd) {
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 1, 50);
  writer.AddRan(1, pb::TASK_OK, {}, 1, 0, 0, 100, 105);
  writer.AddRefused(2, "payload too small");
  writer.AddRan(3, pb::TASK_TIMED_OUT, "timed out", 0, 0, 0, 110, 120);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].error, "");
  EXPECT_EQ(answers[1].status, pb::TASK_FAILED);
  EXPECT_EQ(answers[1].error, "payload too small");
  EXPECT_EQ(answers[1].compute_start_ns, 0);  // never ran
  EXPECT_EQ(answers[1].compute_end_ns, 0);
  EXPECT_EQ(answers[2].status, pb::TASK_TIMED_OUT);
  EXPECT_EQ(answers[2].error, "timed out");
  EXPECT_EQ(answers[2].dequeued_ns, 105);  // task 0's end: task 1 never ran
  EXPECT_EQ(answers[2].compute_start_ns, 110);
}

// The noop's answers are all OK and all zero: those arrays stay empty, and
// the frame stays small. The first other value fills in those before it.
TEST(TaskFrameTest, ArraysOfDefaultsStayEmptyUntilAnotherValueComes) {
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 1, 1'000'000'000'000);
  writer.AddRan(7, pb::TASK_OK, {}, 0, 0, 0, 1'000'000'000'020, 1'000'000'000'030);
  SetDecoded(frame, 1'000'000'000'020);
  SetResultEnqueued(frame, 1'000'000'000'040);
  EXPECT_TRUE(frame.statuses().empty());
  EXPECT_TRUE(frame.checksums().empty());
  EXPECT_LE(frame.ByteSizeLong(), 32u);

  writer.AddRan(8, pb::TASK_OK, {}, -0.0, 0, 4, 1'000'000'000'030, 1'000'000'000'040);
  writer.AddRefused(9, "no");
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  EXPECT_EQ(frame.checksums_size(), 3);  // −0.0 is not +0.0
  EXPECT_EQ(frame.bytes_size(), 3);
  EXPECT_TRUE(frame.flops().empty());
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  EXPECT_EQ(answers[0].status, pb::TASK_OK);
  EXPECT_EQ(answers[1].bytes, 4);
  EXPECT_TRUE(std::signbit(answers[1].checksum));
  EXPECT_EQ(answers[2].status, pb::TASK_FAILED);
}

// Unordered clock reads may land a few ns before the stamp taken before
// them; the writer keeps every task's stamps in order.
TEST(TaskFrameTest, StampsThatGoBackAreTakenAsThePreviousOne) {
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 1, 100);
  writer.AddRan(1, pb::TASK_OK, {}, 0, 0, 0, 98, 97);  // before the dequeue, ends before it starts
  SetDecoded(frame, 99);
  const TaskAnswer answer = ReadAnswers(frame).at(0);
  EXPECT_EQ(answer.compute_start_ns, 100);
  EXPECT_EQ(answer.compute_end_ns, 100);
  EXPECT_EQ(answer.decoded_ns, 100);
}

TEST(TaskFrameTest, ArraysThatDoNotLineUpAreRefused) {
  pb::ResultFrame short_stamps = Answers(3);
  short_stamps.mutable_compute_ns()->RemoveLast();
  EXPECT_EQ(CheckResultFrame(short_stamps).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame one_status = Answers(2);
  one_status.add_statuses(pb::TASK_OK);
  EXPECT_EQ(CheckResultFrame(one_status).code(), StatusCode::kInvalidArgument);
}

TEST(TaskFrameTest, StampsThatOverflowOrDeltasThatMeanNothingAreRefused) {
  pb::ResultFrame overflow = Answers(2);
  overflow.set_t_dequeued_ns(std::numeric_limits<int64_t>::max() - 60);
  EXPECT_EQ(CheckResultFrame(overflow).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame huge_compute = Answers(1);
  huge_compute.set_compute_ns(0, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(CheckResultFrame(huge_compute).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame huge_decode = Answers(1);
  huge_decode.set_decoded_after_ns(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(CheckResultFrame(huge_decode).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame before_the_previous = Answers(2);
  before_the_previous.set_compute_start_after_ns(1, -2);
  EXPECT_EQ(CheckResultFrame(before_the_previous).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame never_ran_but_ran = Answers(2);
  never_ran_but_ran.set_compute_start_after_ns(1, -1);
  EXPECT_EQ(CheckResultFrame(never_ran_but_ran).code(), StatusCode::kInvalidArgument);
  never_ran_but_ran.set_compute_ns(1, 0);
  EXPECT_TRUE(CheckResultFrame(never_ran_but_ran).ok());
}

TEST(TaskFrameTest, FailuresOutOfRangeOrOutOfOrderAreRefused) {
  pb::ResultFrame beyond = Answers(2);
  beyond.add_failures()->set_index(2);
  EXPECT_EQ(CheckResultFrame(beyond).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame twice = Answers(2);
  twice.add_failures()->set_index(1);
  twice.add_failures()->set_index(1);
  EXPECT_EQ(CheckResultFrame(twice).code(), StatusCode::kInvalidArgument);
}

TEST(TaskFrameTest, ACommandJobsOutcomesAreReadOnePerTask) {
  pb::ResultFrame frame = Answers(2);
  EXPECT_EQ(ReadAnswers(frame)[0].command, nullptr);  // a kernel's answer has none
  frame.add_commands()->set_exit_code(0);
  EXPECT_FALSE(CheckResultFrame(frame).ok());  // one outcome for two tasks
  frame.add_commands()->set_exit_code(3);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 2u);
  ASSERT_NE(answers[1].command, nullptr);
  EXPECT_EQ(answers[0].command->exit_code(), 0);
  EXPECT_EQ(answers[1].command->exit_code(), 3);
}

TEST(TaskFrameTest, ATaskResultIsReadAsTheSameAnswer) {
  pb::TaskResult result;
  result.set_id(7);
  result.set_status(pb::TASK_TIMED_OUT);
  result.set_error("timed out");
  result.set_t_compute_start_ns(10);
  result.mutable_command()->set_signal(9);
  const TaskAnswer answer = AnswerOf(result);
  EXPECT_EQ(answer.id, 7u);
  EXPECT_EQ(answer.status, pb::TASK_TIMED_OUT);
  EXPECT_EQ(answer.error, "timed out");
  EXPECT_EQ(answer.compute_start_ns, 10);
  ASSERT_NE(answer.command, nullptr);
  EXPECT_EQ(answer.command->signal(), 9);
}

TEST(TaskFrameTest, MeanComputeIsTheTasksAverageAndSaturates) {
  pb::ResultFrame frame;
  EXPECT_EQ(MeanComputeNs(frame), -1);  // no task computed
  frame.add_compute_ns(10);
  frame.add_compute_ns(31);
  EXPECT_EQ(MeanComputeNs(frame), 20);
  frame.add_compute_ns(UINT64_MAX);  // a peer's nonsense: the sum saturates
  EXPECT_EQ(MeanComputeNs(frame), static_cast<int64_t>(UINT64_MAX / 3));
  pb::ResultFrame huge;
  huge.add_compute_ns(UINT64_MAX);
  EXPECT_EQ(MeanComputeNs(huge), INT64_MAX);
}

}  // namespace
}  // namespace parlab
