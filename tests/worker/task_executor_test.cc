#include "worker/task_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "shared/aligned_buffer.h"
#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "tests/support/result_frame_answers.h"

namespace parlab {
namespace {

class TaskExecutorTest : public ::testing::Test {
 protected:
  TaskExecutorTest()
      : arena_memory_(1 << 20), executor_(ArenaView(arena_memory_.data(), 1 << 20), 7) {}

  pb::TaskSpec MatmulTask(uint64_t n) {
    pb::TaskSpec task;
    task.set_id(42);
    *task.mutable_kernel() = FindKernel("matmul")->Defaults();
    task.mutable_kernel()->set_n(static_cast<int64_t>(n));
    const Kernel& kernel = *FindKernel("matmul");
    task.mutable_payload()->set_input_offset(0);
    task.mutable_payload()->set_input_bytes(kernel.InputBytes(task.kernel()));
    task.mutable_payload()->set_output_offset(512 * 1024);
    task.mutable_payload()->set_output_bytes(kernel.OutputBytes(task.kernel()));
    kernel.FillInput(task.kernel(), {arena_memory_.data(), kernel.InputBytes(task.kernel())});
    return task;
  }

  AlignedBuffer arena_memory_;
  TaskExecutor executor_;
};

TEST_F(TaskExecutorTest, RunsAKernelOnArenaMemory) {
  const pb::TaskSpec task = MatmulTask(16);
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_OK) << result.error();
  EXPECT_EQ(result.id(), 42u);
  EXPECT_EQ(result.worker(), 7);
  EXPECT_EQ(result.flops(), 2.0 * 16 * 16 * 16);
  EXPECT_LE(result.t_compute_start_ns(), result.t_compute_end_ns());
  // The same inputs in a private buffer give the same checksum.
  const Kernel& kernel = *FindKernel("matmul");
  AlignedBuffer in(kernel.InputBytes(task.kernel())), out(kernel.OutputBytes(task.kernel()));
  kernel.FillInput(task.kernel(), in.mutable_bytes());
  EXPECT_EQ(kernel.Run(task.kernel(), in.const_bytes(), out.mutable_bytes(), {}).checksum,
            result.checksum());
}

TEST_F(TaskExecutorTest, OffsetsOutsideTheArenaFailTheTask) {
  pb::TaskSpec task = MatmulTask(16);
  task.mutable_payload()->set_output_offset((1 << 20) - 64);  // output would run past the end
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_FAILED);
  EXPECT_NE(result.error().find("output"), std::string::npos) << result.error();
}

TEST_F(TaskExecutorTest, MisalignedOffsetsFailTheTask) {
  pb::TaskSpec task = MatmulTask(16);
  task.mutable_payload()->set_input_offset(8);
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_FAILED);
  EXPECT_NE(result.error().find("aligned"), std::string::npos) << result.error();
}

TEST_F(TaskExecutorTest, PayloadSmallerThanTheKernelNeedsFails) {
  pb::TaskSpec task = MatmulTask(16);
  task.mutable_payload()->set_input_bytes(8);
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_FAILED);
  EXPECT_NE(result.error().find("payload too small"), std::string::npos) << result.error();
}

TEST_F(TaskExecutorTest, UnknownKernelAndBadParametersFail) {
  pb::TaskSpec task = MatmulTask(16);
  task.mutable_kernel()->set_kernel("fft");
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_FAILED);
  EXPECT_NE(result.error().find("unknown kernel 'fft'"), std::string::npos);

  task = MatmulTask(16);
  task.mutable_kernel()->set_n(-5);
  result.Clear();
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_FAILED);
}

// TaskSpec.threads arrives from another process: a huge count must not reach
// libgomp as is (conv's `omp parallel num_threads(...)` would try to create
// that many threads and abort the worker). Kernels clamp it to
// kMaxKernelThreads (shared/kernels/omp_threads.h).
TEST_F(TaskExecutorTest, AHugeThreadCountDoesNotKillTheWorker) {
  pb::TaskSpec task;
  task.set_id(9);
  const Kernel& conv = *FindKernel("conv");
  *task.mutable_kernel() = conv.Defaults();
  task.mutable_kernel()->set_batch(1);
  task.mutable_kernel()->set_channels(1);
  task.mutable_kernel()->set_height(8);
  task.mutable_kernel()->set_width(8);
  task.mutable_kernel()->set_layers("c2,p2");
  task.mutable_payload()->set_input_offset(0);
  task.mutable_payload()->set_input_bytes(conv.InputBytes(task.kernel()));
  task.mutable_payload()->set_output_offset(512 * 1024);
  task.mutable_payload()->set_output_bytes(conv.OutputBytes(task.kernel()));
  conv.FillInput(task.kernel(), {arena_memory_.data(), conv.InputBytes(task.kernel())});
  task.set_threads(2'000'000'000);
  pb::TaskResult result;
  executor_.Execute(task, result);
  EXPECT_EQ(result.status(), pb::TASK_OK) << result.error();
}

// The job's constants are checked once; each task then only runs, and its
// answer lands in order in the frame.
TEST_F(TaskExecutorTest, PreparedConstantsServeManyTasks) {
  const pb::TaskSpec task = MatmulTask(16);
  pb::JobConstants constants;
  constants.set_version(3);
  *constants.mutable_kernel() = task.kernel();
  *constants.mutable_payload() = task.payload();
  ASSERT_TRUE(executor_.Prepare(constants).ok());
  EXPECT_EQ(executor_.version(), 3u);
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 7, NowNs());
  for (uint64_t id = 10; id < 13; ++id) executor_.Run(id, pb::FAULT_NONE, nullptr, writer);
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[2].id, 12u);
  for (const TaskAnswer& answer : answers) {
    EXPECT_EQ(answer.status, pb::TASK_OK) << answer.error;
    EXPECT_EQ(answer.checksum, answers[0].checksum);
    EXPECT_EQ(answer.flops, 2.0 * 16 * 16 * 16);
    EXPECT_GE(answer.compute_start_ns, answer.dequeued_ns);
    EXPECT_LE(answer.compute_start_ns, answer.compute_end_ns);
  }
}

TEST_F(TaskExecutorTest, TasksBeforeAnyConstantsOrAfterRefusedOnesFailWithTheReason) {
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 7, NowNs());
  executor_.Run(1, pb::FAULT_NONE, nullptr, writer);
  EXPECT_NE(ReadAnswers(frame)[0].error.find("no job constants"), std::string::npos);

  pb::JobConstants constants;
  constants.set_version(1);
  *constants.mutable_kernel() = MatmulTask(16).kernel();
  constants.mutable_payload()->set_input_bytes(8);  // too small for matmul
  EXPECT_FALSE(executor_.Prepare(constants).ok());
  executor_.Run(2, pb::FAULT_NONE, nullptr, writer);
  executor_.Run(3, pb::FAULT_NONE, nullptr, writer);
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[2].status, pb::TASK_FAILED);
  EXPECT_EQ(answers[2].compute_start_ns, 0);  // it never ran
  EXPECT_NE(answers[2].error.find("payload too small"), std::string::npos);
}

// A job file's task list: a task's own parameters replace the constants'
// for that task only, and must keep to the job's kernel.
TEST_F(TaskExecutorTest, ATasksOwnParametersRunInsteadOfTheJobs) {
  pb::JobConstants constants;
  constants.set_version(1);
  *constants.mutable_kernel() = FindKernel("loop")->Defaults();
  constants.mutable_kernel()->set_n(10);
  ASSERT_TRUE(executor_.Prepare(constants).ok());
  pb::TaskInput longer;
  *longer.mutable_kernel() = constants.kernel();
  longer.mutable_kernel()->set_n(1000);
  pb::TaskInput other_kernel;
  *other_kernel.mutable_kernel() = FindKernel("spin")->Defaults();
  pb::ResultFrame frame;
  ResultFrameWriter writer(frame, 7, NowNs());
  executor_.Run(1, pb::FAULT_NONE, nullptr, writer);
  executor_.Run(2, pb::FAULT_NONE, &longer, writer);
  executor_.Run(3, pb::FAULT_NONE, &other_kernel, writer);
  executor_.Run(4, pb::FAULT_NONE, nullptr, writer);
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_EQ(answers[1].status, pb::TASK_OK);
  EXPECT_NE(answers[1].checksum, answers[0].checksum);  // loop's sum grows with n
  EXPECT_EQ(answers[3].checksum, answers[0].checksum);  // the job's own again
  EXPECT_EQ(answers[2].status, pb::TASK_FAILED);
  EXPECT_NE(answers[2].error.find("kernel 'spin'"), std::string::npos) << answers[2].error;
  EXPECT_EQ(frame.failures_size(), 1);
}

// A whole frame: its stamps and answers, and the frames a worker must refuse.
TEST_F(TaskExecutorTest, RunsAFrameAndStampsItsDecodeAndEnqueueByItsTasks) {
  pb::JobConstants constants;
  constants.set_version(2);
  *constants.mutable_kernel() = FindKernel("loop")->Defaults();
  ASSERT_TRUE(executor_.Prepare(constants).ok());
  pb::TaskFrame tasks;
  tasks.set_constants(2);
  for (uint64_t id : {5, 6, 7}) tasks.add_ids(id);
  pb::ResultFrame frame;
  frame.add_ids(99);  // left from an earlier frame: cleared
  std::atomic<uint64_t> done{4};
  const int64_t dequeued_ns = NowNs();
  ASSERT_TRUE(executor_.RunFrame(tasks, dequeued_ns, frame, &done).ok());
  ASSERT_TRUE(CheckResultFrame(frame).ok());
  EXPECT_EQ(frame.worker(), 7);
  EXPECT_EQ(done.load(), 7u);
  const std::vector<TaskAnswer> answers = ReadAnswers(frame);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].id, 5u);
  EXPECT_EQ(answers[0].dequeued_ns, dequeued_ns);
  EXPECT_EQ(answers[0].decoded_ns, answers[0].compute_start_ns);
  EXPECT_EQ(answers[1].dequeued_ns, answers[0].compute_end_ns);  // a chunk's rule
  // Ready to publish when the last task ended: no clock read of its own.
  for (const TaskAnswer& answer : answers) {
    EXPECT_EQ(answer.result_enqueued_ns, answers[2].compute_end_ns);
  }
}

TEST_F(TaskExecutorTest, AFrameWhoseTasksNeverRanIsDecodedAndEnqueuedAfterItsDequeue) {
  pb::TaskFrame tasks;  // no constants prepared: every task is refused
  tasks.add_ids(1);
  pb::ResultFrame frame;
  const int64_t dequeued_ns = NowNs();
  ASSERT_TRUE(executor_.RunFrame(tasks, dequeued_ns, frame).ok());
  const TaskAnswer answer = ReadAnswers(frame).at(0);
  EXPECT_EQ(answer.status, pb::TASK_FAILED);
  EXPECT_EQ(answer.compute_start_ns, 0);
  EXPECT_GE(answer.decoded_ns, dequeued_ns);
  EXPECT_EQ(answer.result_enqueued_ns, answer.decoded_ns);
}

TEST_F(TaskExecutorTest, RefusesAFrameThatDisagreesWithItselfOrTheConstants) {
  pb::JobConstants constants;
  constants.set_version(1);
  *constants.mutable_kernel() = FindKernel("noop")->Defaults();
  ASSERT_TRUE(executor_.Prepare(constants).ok());
  pb::TaskFrame other_version;
  other_version.set_constants(2);
  other_version.add_ids(1);
  pb::TaskFrame inputs_short = other_version;
  inputs_short.set_constants(1);
  inputs_short.add_ids(2);
  inputs_short.add_inputs();
  pb::TaskFrame poison_past_the_end = other_version;
  poison_past_the_end.set_constants(1);
  poison_past_the_end.set_fault(pb::FAULT_ABORT);
  poison_past_the_end.set_fault_index(1);
  pb::ResultFrame answers;
  const Status version = executor_.RunFrame(other_version, 0, answers);
  EXPECT_NE(version.message().find("job constants 2"), std::string::npos) << version.message();
  const Status inputs = executor_.RunFrame(inputs_short, 0, answers);
  EXPECT_NE(inputs.message().find("1 task inputs for 2"), std::string::npos) << inputs.message();
  const Status poison = executor_.RunFrame(poison_past_the_end, 0, answers);
  EXPECT_NE(poison.message().find("index 1 of a frame of 1"), std::string::npos)
      << poison.message();
  EXPECT_EQ(answers.ids_size(), 0);  // none ran
}

}  // namespace
}  // namespace parlab
