#pragma once
// Job files: `parlab run --job study.textproto` reads a pb::JobFile in
// Protobuf's text format (proto/parlab.proto says what each field means;
// examples/jobs/ has one file per kind). A file is one workload with either
// a task count (every task alike), an explicit task list (each task with its
// own parameters), or a grid of sizes × modes × worker counts that expands to
// several jobs with one combined report (runtime/job_grid.h).
//
// Nothing in a file is trusted: every error is kInvalidArgument and starts
// with where it is and what field it is about, as a compiler's would:
//
//   study.textproto:7:3: unknown field "wokers" in parlab.pb.JobFile
//   study.textproto:4:1: workers: workers must be 1..1024, got 0
//
// Pure parsing and checking: nothing runs. Safe from any thread.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// A task list is expanded into one KernelParams per task, held in memory,
// checked and sent task by task, so it is capped well below kMaxTasks: a
// list that `repeat`s one entry 100 million times would take 15 GB, and a
// million tasks took over 10 s to check under ASan. Many tasks alike need
// no list: `tasks: N`. The bytes are capped too, as a task's params may
// hold strings of any length.
constexpr int64_t kMaxListedTasks = 100'000;
constexpr int64_t kMaxListedBytes = int64_t{64} << 20;  // encoded params, all tasks
// A grid's jobs run one after another and its plan holds each: a grid of
// more is a study to split into files.
constexpr int64_t kMaxGridJobs = 1024;

// The file's grid, parsed. An empty list keeps the job's own value.
struct JobGrid {
  std::vector<int64_t> sizes;  // of the workload's size field (JobSizeField)
  std::vector<pb::Mode> modes;
  std::vector<int> workers;

  bool empty() const { return sizes.empty() && modes.empty() && workers.empty(); }
};

// What a job file describes: the job (DefaultJob() with the file's fields on
// top, its task list expanded into task_kernels; tasks 0 when the file left
// it out, to be calibrated as `parlab run` does) and its grid.
struct JobFileSpec {
  pb::JobSpec job;
  JobGrid grid;
  bool threads_given = false;  // the file set threads (a grid then keeps them)
};

// Reads `path` and parses it; errors name the path, line and column.
Result<JobFileSpec> LoadJobFile(const std::string& path);

// Parses `text`; `name` stands for the file in errors. The job is validated
// as ValidateJob does (tasks 0 counts as 1 here), with the file's location
// of the field an error names in front.
Result<JobFileSpec> ParseJobFile(const std::string& text, const std::string& name);

// The parameter a grid's sizes set for `workload`: "n" (loop, matmul, ...),
// "us" (spin), "ms" (sleep) — the one its defaults size it by — or "" when
// it has no single size (noop, pca, conv).
std::string JobSizeField(const std::string& workload);

// `params` with its size field (JobSizeField) set to `size`; an error naming
// the workload when it has none.
Result<pb::KernelParams> WithJobSize(const pb::KernelParams& params, int64_t size);

}  // namespace parlab
