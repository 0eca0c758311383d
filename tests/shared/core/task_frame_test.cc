// Reading a ResultFrame: the arrays must line up, failures must point at a
// task, and a chunk's dequeued/decoded stamps follow the previous task's end.
#include "shared/task_frame.h"

#include <gtest/gtest.h>

#include <vector>

namespace parlab {
namespace {

// A frame of `n` OK tasks, task i computing over [100 + 10i, 105 + 10i].
pb::ResultFrame Answers(int n) {
  pb::ResultFrame frame;
  frame.set_worker(2);
  frame.set_t_dequeued_ns(50);
  frame.set_t_decoded_ns(60);
  frame.set_t_result_enqueued_ns(500);
  for (int i = 0; i < n; ++i) {
    frame.add_ids(static_cast<uint64_t>(40 + i));
    frame.add_statuses(pb::TASK_OK);
    frame.add_checksums(1.5 * i);
    frame.add_flops(8);
    frame.add_bytes(16);
    frame.add_t_compute_start_ns(100 + 10 * i);
    frame.add_t_compute_end_ns(105 + 10 * i);
  }
  return frame;
}

std::vector<TaskAnswer> ReadAll(const pb::ResultFrame& frame) {
  std::vector<TaskAnswer> answers;
  ResultFrameReader reader(frame);
  TaskAnswer answer;
  while (reader.Next(answer)) answers.push_back(answer);
  return answers;
}

TEST(TaskFrameTest, AChunksTasksAreTakenWhenTheOneBeforeEnds) {
  const pb::ResultFrame frame = Answers(3);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAll(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].id, 40u);
  EXPECT_EQ(answers[0].dequeued_ns, 50);  // the frame's own stamps
  EXPECT_EQ(answers[0].decoded_ns, 60);
  EXPECT_EQ(answers[1].dequeued_ns, 105);  // task 0's end
  EXPECT_EQ(answers[1].decoded_ns, 105);
  EXPECT_EQ(answers[2].dequeued_ns, 115);
  EXPECT_EQ(answers[2].compute_start_ns, 120);
  EXPECT_EQ(answers[2].compute_end_ns, 125);
  EXPECT_EQ(answers[2].checksum, 3.0);
  EXPECT_EQ(answers[2].result_enqueued_ns, 500);
}

TEST(TaskFrameTest, AFailureIsReadWithItsTaskAndARefusedTaskKeepsThePreviousEnd) {
  pb::ResultFrame frame = Answers(3);
  frame.set_statuses(1, pb::TASK_FAILED);
  frame.set_t_compute_start_ns(1, 0);  // refused before it ran
  frame.set_t_compute_end_ns(1, 0);
  pb::TaskFailure& failure = *frame.add_failures();
  failure.set_index(1);
  failure.set_message("payload too small");
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAll(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].error, "");
  EXPECT_EQ(answers[1].status, pb::TASK_FAILED);
  EXPECT_EQ(answers[1].error, "payload too small");
  EXPECT_EQ(answers[2].error, "");
  EXPECT_EQ(answers[2].dequeued_ns, 105);  // task 0's end: task 1 never ran
}

TEST(TaskFrameTest, ArraysThatDoNotLineUpAreRefused) {
  pb::ResultFrame short_stamps = Answers(3);
  short_stamps.mutable_t_compute_end_ns()->RemoveLast();
  EXPECT_EQ(CheckResultFrame(short_stamps).code(), StatusCode::kInvalidArgument);
  pb::ResultFrame extra_status = Answers(2);
  extra_status.add_statuses(pb::TASK_OK);
  EXPECT_EQ(CheckResultFrame(extra_status).code(), StatusCode::kInvalidArgument);
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
  EXPECT_EQ(ReadAll(frame)[0].command, nullptr);  // a kernel's answer has none
  frame.add_commands()->set_exit_code(0);
  EXPECT_FALSE(CheckResultFrame(frame).ok());  // one outcome for two tasks
  frame.add_commands()->set_exit_code(3);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAll(frame);
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

}  // namespace
}  // namespace parlab
