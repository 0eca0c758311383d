// A job with a task list (JobSpec.task_kernels, a job file's `task`
// entries): every mode runs task i of each trial with its own parameters,
// so each listed task's checksum is that of its own parameters — in every
// mode, over both transports — and ValidateJob refuses the lists a job's one
// input cannot serve. No timings are asserted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "shared/kernels/kernel.h"
#include "tests/support/job_outcome_checks.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

constexpr int64_t kSizes[] = {1000, 20000, 300000};

pb::JobSpec ListedLoops(pb::Mode mode) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("loop")->Defaults();
  for (int64_t n : kSizes) {
    pb::KernelParams task = job.kernel();
    task.set_n(n);
    *job.add_task_kernels() = task;
  }
  job.set_mode(mode);
  job.set_workers(2);
  job.set_threads(1);
  job.set_tasks(3);
  job.set_warmup(1);
  job.set_trials(2);
  return job;
}

// What one task of these parameters computes, run here.
double ChecksumOf(const pb::KernelParams& params) {
  Result<LocalTask> task = LocalTask::Prepare(params, 1);
  EXPECT_TRUE(task.ok());
  TaskRecord record;
  task->Run(0, KernelContext{}, record);
  return record.checksum;
}

class TaskListTest : public ::testing::TestWithParam<pb::Transport> {};

TEST_P(TaskListTest, EveryModeRunsEachTaskWithItsOwnParameters) {
  std::vector<double> expected;
  for (int64_t n : kSizes) {
    pb::KernelParams params = FindKernel("loop")->Defaults();
    params.set_n(n);
    expected.push_back(ChecksumOf(params));
  }
  // The test means something only if the sizes give different answers.
  ASSERT_NE(expected[0], expected[1]);
  ASSERT_NE(expected[1], expected[2]);
  for (pb::Mode mode : AllModes()) {
    SCOPED_TRACE(std::string(ModeName(mode)));
    pb::JobSpec job = ListedLoops(mode);
    job.set_transport(GetParam());
    ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
    Result<JobOutcome> outcome = RunJob(job);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    ExpectWellFormed(*outcome);
    if (mode == pb::PROCS || mode == pb::HYBRID) ExpectNothingLeft();
    for (const TaskRecord& record : outcome->records) {
      const double want = expected[record.id % 3];
      EXPECT_NEAR(record.checksum, want, 1e-9 * std::max(1.0, std::abs(want)))
          << "task " << record.id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, TaskListTest, ::testing::Values(pb::SHM, pb::UDS));

TEST(TaskListValidationTest, TasksMustBeTheListsLength) {
  pb::JobSpec job = ListedLoops(pb::SEQ);
  job.set_tasks(4);
  const Status status = ValidateJob(job);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "tasks must be the length of the task list, 3, got 4");
}

TEST(TaskListValidationTest, OneWorkloadPerJob) {
  pb::JobSpec job = ListedLoops(pb::SEQ);
  job.mutable_task_kernels(1)->set_kernel("spin");
  const Status status = ValidateJob(job);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("task 1: workload 'spin'", 0), 0u) << status.message();
}

TEST(TaskListValidationTest, EachTaskIsValidatedByItsKernel) {
  pb::JobSpec job = ListedLoops(pb::SEQ);
  job.mutable_task_kernels(2)->set_n(-1);
  const Status status = ValidateJob(job);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("task 2: loop: n", 0), 0u) << status.message();
}

// The job's one input is made from its own parameters: a matmul task of
// another n would read a matrix of the wrong order.
TEST(TaskListValidationTest, ATaskCannotChangeTheJobsInput) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("matmul")->Defaults();
  job.mutable_kernel()->set_n(64);
  *job.add_task_kernels() = job.kernel();
  *job.add_task_kernels() = job.kernel();
  job.set_tasks(2);
  job.set_mode(pb::SEQ);
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  job.mutable_task_kernels(1)->set_seed(7);  // same size, other data: still another input
  Status status = ValidateJob(job);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("task 1: matmul reads an input", 0), 0u) << status.message();
  job.mutable_task_kernels(1)->set_seed(1);
  job.mutable_task_kernels(1)->set_n(65);
  status = ValidateJob(job);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("task 1: matmul reads an input", 0), 0u) << status.message();
}

}  // namespace
}  // namespace parlab
