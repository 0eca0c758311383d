// Job files (runtime/job_file.h): what a file sets, what it leaves to the
// defaults, its task list and grid, and every error naming the file, the
// line, the column and the field. Pure parsing: nothing runs.
#include "coordinator/runtime/job_file.h"

#include <gtest/gtest.h>

#include <string>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

JobFileSpec Parsed(const std::string& text) {
  Result<JobFileSpec> spec = ParseJobFile(text, "study.textproto");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return spec.ok() ? *spec : JobFileSpec{};
}

std::string ErrorOf(const std::string& text) {
  Result<JobFileSpec> spec = ParseJobFile(text, "study.textproto");
  EXPECT_FALSE(spec.ok()) << text;
  if (spec.ok()) return "";
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  return spec.status().message();
}

TEST(JobFileTest, AnEmptyFileIsTheDefaultJob) {
  const JobFileSpec spec = Parsed("");
  const pb::JobSpec defaults = DefaultJob();
  EXPECT_EQ(spec.job.DebugString(), defaults.DebugString());
  EXPECT_TRUE(spec.grid.empty());
  EXPECT_FALSE(spec.threads_given);
}

TEST(JobFileTest, FieldsOverrideTheDefaults) {
  const JobFileSpec spec = Parsed(R"(
    workload: "matmul"
    params { n: 300 seed: 9 }
    mode: "procs"
    workers: 3
    threads: 2
    tasks: 12
    warmup: 0
    trials: 4
    inflight: 1
    chunk: "auto"
    transport: "uds"
    wait: "block"
    task_timeout_ms: 900
  )");
  const pb::JobSpec& job = spec.job;
  EXPECT_EQ(job.kernel().kernel(), "matmul");
  EXPECT_EQ(job.kernel().n(), 300);
  EXPECT_EQ(job.kernel().seed(), 9u);
  EXPECT_EQ(job.mode(), pb::PROCS);
  EXPECT_EQ(job.workers(), 3);
  EXPECT_EQ(job.threads(), 2);
  EXPECT_EQ(job.tasks(), 12);
  EXPECT_EQ(job.warmup(), 0);  // a 0 given is applied, not taken for "left out"
  EXPECT_EQ(job.trials(), 4);
  EXPECT_EQ(job.inflight(), 1);
  EXPECT_EQ(job.chunk(), 0);
  EXPECT_EQ(job.transport(), pb::UDS);
  EXPECT_EQ(job.wait(), pb::BLOCK);
  EXPECT_EQ(job.task_timeout_ms(), 900);
  EXPECT_TRUE(spec.threads_given);
  EXPECT_EQ(job.task_kernels_size(), 0);
}

TEST(JobFileTest, ATaskListExpandsItsRepeatsOnTheJobsParams) {
  const JobFileSpec spec = Parsed(R"(
    workload: "loop"
    params { n: 1000 seed: 3 }
    task { params { n: 50 } }
    task { repeat: 2 }
    task { params { n: 70 } repeat: 3 }
  )");
  const pb::JobSpec& job = spec.job;
  ASSERT_EQ(job.task_kernels_size(), 6);
  EXPECT_EQ(job.tasks(), 6);
  const int64_t want[] = {50, 1000, 1000, 70, 70, 70};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(job.task_kernels(i).n(), want[i]) << i;
    EXPECT_EQ(job.task_kernels(i).seed(), 3u) << i;  // the job's, under the task's own
    EXPECT_EQ(job.task_kernels(i).kernel(), "loop") << i;
  }
}

TEST(JobFileTest, AGridParsesItsLists) {
  const JobFileSpec spec = Parsed(R"(
    workload: "spin"
    grid { sizes: [100, 200] modes: ["seq", "procs"] workers: [1, 4] }
  )");
  EXPECT_EQ(spec.grid.sizes, (std::vector<int64_t>{100, 200}));
  EXPECT_EQ(spec.grid.modes, (std::vector<pb::Mode>{pb::SEQ, pb::PROCS}));
  EXPECT_EQ(spec.grid.workers, (std::vector<int>{1, 4}));
}

TEST(JobFileTest, AnUnknownFieldIsNamedWithItsLineAndColumn) {
  EXPECT_EQ(ErrorOf("workload: \"loop\"\n\n  wokers: 4\n"),
            "study.textproto:3:3: unknown field \"wokers\" in parlab.pb.JobFile");
  EXPECT_EQ(ErrorOf("params {\n  n: 5\n  size: 4\n}\n"),
            "study.textproto:3:3: unknown field \"size\" in parlab.pb.KernelParams");
}

TEST(JobFileTest, ASyntaxErrorIsNamedWithItsLine) {
  const std::string error = ErrorOf("workload: \"loop\"\nworkers: four\n");
  EXPECT_EQ(error.rfind("study.textproto:2:", 0), 0u) << error;
}

TEST(JobFileTest, AValueOutOfRangeNamesTheFieldsLine) {
  EXPECT_EQ(ErrorOf("workload: \"loop\"\nmode: \"procs\"\n   workers: 0\n"),
            "study.textproto:3:4: workers: workers must be 1..1024, got 0");
  EXPECT_EQ(ErrorOf("trials: 0\n"), "study.textproto:1:1: trials: trials must be 1..100000, got 0");
  // Left out, tasks are calibrated; written as 0, they are refused as --tasks 0 is.
  EXPECT_EQ(ErrorOf("tasks: 0\n"), "study.textproto:1:1: tasks: tasks must be 1..100000000, got 0");
}

TEST(JobFileTest, AKernelsErrorNamesTheParamsLine) {
  const std::string error = ErrorOf("workload: \"matmul\"\nparams {\n  n: 0\n}\n");
  EXPECT_EQ(error.rfind("study.textproto:3:3: n: matmul: n must be", 0), 0u) << error;
}

TEST(JobFileTest, BadWordsNameTheirField) {
  EXPECT_EQ(ErrorOf("workload: \"lop\"\n")
                .rfind("study.textproto:1:1: workload: unknown workload 'lop'", 0),
            0u);
  EXPECT_EQ(ErrorOf("\nmode: \"fast\"\n").rfind("study.textproto:2:1: mode: ", 0), 0u);
  EXPECT_EQ(ErrorOf("transport: \"tcp\"\n"),
            "study.textproto:1:1: transport: must be shm or uds, got \"tcp\"");
  EXPECT_EQ(ErrorOf("chunk: \"lots\"\n").rfind("study.textproto:1:1: chunk: must be 1..", 0), 0u);
  EXPECT_EQ(ErrorOf("wait: \"nap\"\n").rfind("study.textproto:1:1: wait: ", 0), 0u);
  EXPECT_EQ(ErrorOf("params { kernel: \"spin\" }\n").rfind("study.textproto:1:10: kernel: ", 0),
            0u);
}

TEST(JobFileTest, TaskListErrorsNameTheirEntry) {
  EXPECT_EQ(ErrorOf("task { }\ntask { repeat: 0 }\n"),
            "study.textproto:2:8: repeat: must be 1..99999 (a task list holds 100000 tasks in "
            "all; for more tasks alike, leave the list out and set tasks), got 0");
  // Refused before a single task is expanded (the fuzzer's 7,000,000 repeats
  // once took 2 GB): the whole list may hold kMaxListedTasks, no more.
  EXPECT_EQ(ErrorOf("task { repeat: 99999 }\ntask { repeat: 2 }\n")
                .rfind("study.textproto:2:8: repeat: must be 1..1 (", 0),
            0u);
  // Few tasks but long params (any string field may be long): capped in bytes.
  const std::string wide = ErrorOf("workload: \"conv\"\ntask { params { layers: \"" +
                                   std::string(1000, 'c') + "\" } repeat: 99999 }\n");
  EXPECT_EQ(wide.rfind("study.textproto:2:", 0), 0u) << wide;
  EXPECT_NE(wide.find("repeat: the task list would hold more than 64 MiB"), std::string::npos)
      << wide;
  const std::string huge = ErrorOf("task { params { n: 5000000 } repeat: 7000000 }\n");
  EXPECT_EQ(huge.rfind("study.textproto:1:30: repeat: must be 1..100000 (", 0), 0u) << huge;
  EXPECT_EQ(ErrorOf("tasks: 3\ntask { repeat: 2 }\n"),
            "study.textproto:1:1: tasks: the task list makes 2 tasks, but tasks says 3; leave "
            "tasks out");
  // The second entry makes tasks 1 and 2; task 2 is the bad one.
  const std::string error = ErrorOf("task { }\ntask { repeat: 1 }\n  task { params { n: -1 } }\n");
  EXPECT_EQ(error.rfind("study.textproto:3:3: task: task 2: loop: n", 0), 0u) << error;
  const std::string matmul = ErrorOf("workload: \"matmul\"\ntask { }\ntask { params { n: 20 } }\n");
  EXPECT_EQ(matmul.rfind("study.textproto:3:1: task: task 1: matmul reads an input", 0), 0u)
      << matmul;
}

TEST(JobFileTest, CommandTasksAreRefusedUntilTheyExist) {
  const std::string error = ErrorOf("task {\n  command: [\"echo\", \"hi\"]\n}\n");
  EXPECT_EQ(error.rfind("study.textproto:2:3: command: command tasks are not in this build", 0), 0u)
      << error;
}

TEST(JobFileTest, GridErrorsNameTheirEntry) {
  EXPECT_EQ(ErrorOf("grid {\n  modes: [\"seq\", \"turbo\"]\n}\n")
                .rfind("study.textproto:2:3: modes: ", 0),
            0u);
  EXPECT_EQ(ErrorOf("grid { workers: [2, 0] }\n"),
            "study.textproto:1:8: workers: must be 1..1024, got 0");
  EXPECT_EQ(ErrorOf("grid { sizes: [0] }\n"),
            "study.textproto:1:8: sizes: must be at least 1, got 0");
  EXPECT_EQ(ErrorOf("workload: \"noop\"\ngrid { sizes: [5] }\n")
                .rfind("study.textproto:2:8: sizes: noop has no single size", 0),
            0u);
  EXPECT_EQ(ErrorOf("task { }\ngrid { sizes: [5] }\n")
                .rfind("study.textproto:2:8: sizes: a task list gives each task its own size", 0),
            0u);
  std::string many_workers;  // 2 modes × 600 worker counts: 1,200 jobs
  for (int w = 0; w < 600; ++w) many_workers += (w ? ", " : "") + std::to_string(w % 8 + 1);
  EXPECT_EQ(ErrorOf("grid { modes: [\"threads\", \"procs\"] workers: [" + many_workers + "] }\n"),
            "study.textproto:1:1: grid: makes 1200 jobs; at most 1024 (split it into files)");
  EXPECT_EQ(ErrorOf("workload: \"conv\"\ntask { params { layers: \"" + std::string(1000, 'c') +
                    "\" } repeat: 9000 }\ngrid { workers: [1, 2, 3, 4, 5, 6, 7, 8] }\n")
                .rfind("study.textproto:3:1: grid: makes 8 copies of a task list of 9000 tasks", 0),
            0u);
  EXPECT_EQ(ErrorOf("grid { }\n"),
            "study.textproto:1:1: grid: give at least one of sizes, modes, workers");
}

TEST(JobFileTest, SizeFieldsFollowTheWorkloadsDefaults) {
  EXPECT_EQ(JobSizeField("loop"), "n");
  EXPECT_EQ(JobSizeField("matmul"), "n");
  EXPECT_EQ(JobSizeField("spin"), "us");
  EXPECT_EQ(JobSizeField("sleep"), "ms");
  EXPECT_EQ(JobSizeField("noop"), "");
  EXPECT_EQ(JobSizeField("nonesuch"), "");
  pb::KernelParams spin;
  spin.set_kernel("spin");
  Result<pb::KernelParams> sized = WithJobSize(spin, 250);
  ASSERT_TRUE(sized.ok());
  EXPECT_EQ(sized->us(), 250);
  EXPECT_EQ(sized->n(), 0);
}

TEST(JobFileTest, LoadNamesAMissingFile) {
  Result<JobFileSpec> spec = LoadJobFile("/nonexistent/study.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "--job: cannot read /nonexistent/study.textproto");
}

}  // namespace
}  // namespace parlab
