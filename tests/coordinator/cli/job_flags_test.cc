#include "coordinator/cli/job_flags.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace parlab {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(JobFlagsTest, ParsesAJobWithoutRunningIt) {
  Result<pb::JobSpec> job = ParseJobArgs({"matmul", "--n", "64", "--mode", "procs", "--workers",
                                          "3", "--chunk", "auto", "--wait", "block"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->kernel().kernel(), "matmul");
  EXPECT_EQ(job->kernel().n(), 64);
  EXPECT_EQ(job->mode(), pb::PROCS);
  EXPECT_EQ(job->workers(), 3);
  EXPECT_EQ(job->chunk(), 0);
  EXPECT_EQ(job->wait(), pb::BLOCK);
  EXPECT_EQ(job->tasks(), 0);  // not given: calibrated later
}

TEST(JobFlagsTest, DefaultsWithoutFlags) {
  Result<pb::JobSpec> job = ParseJobArgs({});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->kernel().kernel(), "loop");
  EXPECT_EQ(job->mode(), pb::SEQ);
  EXPECT_EQ(job->workers(), 2);
}

TEST(JobFlagsTest, ErrorsNameTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"fft"}, "unknown workload 'fft'"},
      {{"loop", "--workers", "0"}, "workers must be 1..1024, got 0"},
      {{"loop", "--workers", "100000"}, "workers must be 1..1024"},
      {{"matmul", "--n", "-5"}, "matmul: n must be"},
      {{"matmul", "--n", "200000"}, "matmul: n must be 1..20000, got 200000"},
      {{"loop", "--mode", "fibers"}, "--mode: unknown mode 'fibers'"},
      {{"loop", "--chunk", "many"}, "--chunk must be a positive number or 'auto'"},
      {{"loop", "--wait", "forever"}, "--wait must be spin, block or adaptive"},
      {{"loop", "--workers", "two"}, "--workers"},
      {{"loop", "--bogus"}, "--bogus"},
      {{"loop", "--tasks", "0"}, "tasks must be"},
  };
  for (const auto& [args, expected] : cases) {
    Result<pb::JobSpec> job = ParseJobArgs(args);
    ASSERT_FALSE(job.ok()) << expected;
    EXPECT_TRUE(Contains(job.status().message(), expected))
        << "got: " << job.status().message() << "\nexpected: " << expected;
    EXPECT_NE(job.status().code(), StatusCode::kOk);
  }
}

TEST(JobFlagsTest, MemoryBeyondTheMachineIsRefusedWithTheSize) {
  // 1000 threads each with a 2.98 GiB output: ~2.9 TiB, beyond any test machine.
  Result<pb::JobSpec> job =
      ParseJobArgs({"matmul", "--n", "20000", "--mode", "threads", "--workers", "1000"});
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(job.status().message(), "matmul --n 20000")) << job.status().message();
  EXPECT_TRUE(Contains(job.status().message(), "TiB of memory")) << job.status().message();
}

TEST(JobFlagsTest, CompareFlagsHaveNoMode) {
  EXPECT_TRUE(ParseJobArgs({"loop"}, /*with_mode=*/false).ok());
  EXPECT_FALSE(ParseJobArgs({"loop", "--mode", "seq"}, /*with_mode=*/false).ok());
}

// `parlab run --job FILE [flags]`: the file's job is the base, and only
// the flags given override it — mode, wait and transport included, which
// otherwise have defaults of their own.
Result<pb::JobSpec> OnBase(const pb::JobSpec& base, std::vector<std::string> args) {
  CLI::App app{"job flags"};
  JobFlags flags(app, "JobSummary", /*with_mode=*/true);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return flags.MakeJob(base);
}

pb::JobSpec FileJob() {
  Result<pb::JobSpec> base =
      ParseJobArgs({"loop", "--n", "3000", "--mode", "procs", "--workers", "3", "--transport",
                    "uds", "--wait", "block", "--trials", "2"});
  EXPECT_TRUE(base.ok());
  for (int64_t n : {10, 20}) {
    pb::KernelParams task = base->kernel();
    task.set_n(n);
    *base->add_task_kernels() = task;
  }
  base->set_tasks(2);
  return *base;
}

TEST(JobFlagsTest, WithoutFlagsAFileJobIsKept) {
  const pb::JobSpec base = FileJob();
  Result<pb::JobSpec> job = OnBase(base, {});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->DebugString(), base.DebugString());
}

TEST(JobFlagsTest, FlagsGivenOverrideAFileJob) {
  Result<pb::JobSpec> job = OnBase(FileJob(), {"--mode", "threads", "--n", "7", "--trials", "4"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->mode(), pb::THREADS);
  EXPECT_EQ(job->trials(), 4);
  EXPECT_EQ(job->kernel().n(), 7);
  ASSERT_EQ(job->task_kernels_size(), 2);
  EXPECT_EQ(job->task_kernels(0).n(), 7);  // a size flag sizes every task
  EXPECT_EQ(job->task_kernels(1).n(), 7);
  EXPECT_EQ(job->workers(), 3);  // not given: the file's
  EXPECT_EQ(job->transport(), pb::UDS);
  EXPECT_EQ(job->wait(), pb::BLOCK);
}

TEST(JobFlagsTest, ATaskListIsItsTaskCount) {
  Result<pb::JobSpec> job = OnBase(FileJob(), {"--tasks", "5"});
  ASSERT_FALSE(job.ok());
  EXPECT_TRUE(Contains(job.status().message(), "--tasks: the job file lists 2 tasks"))
      << job.status().message();
  // Another workload than the file's tasks': one workload per job.
  job = OnBase(FileJob(), {"spin"});
  ASSERT_FALSE(job.ok());
  EXPECT_TRUE(Contains(job.status().message(), "task 0: workload 'loop'"))
      << job.status().message();
}

}  // namespace
}  // namespace parlab
