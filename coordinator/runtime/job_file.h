#pragma once
// Job files: `parlab run --job study.textproto` reads a pb::JobFile in
// Protobuf's text format (proto/parlab.proto says what each field means;
// examples/jobs/ has one file per kind). A file is one workload with either
// a task count (every task alike), an explicit task list (each task with its
// own parameters), or a grid of sizes × modes × worker counts that expands to
// several jobs with one combined report (runtime/job_grid.h). The workload
// may be a plugin's (`plugin: "lib.so"`). Or it is a command job: a
// `command { cmd: ... }` block with its inputs (what `parlab run --cmd`
// takes), or a task list whose entries are command lines
// (`task { command: ["gzip", "-9", "a.txt"] }`: an argv, no shell). Paths in
// a file (plugin, inputs, output_dir) are relative to the file's folder.
//
// Nothing in a file is trusted: every error is kInvalidArgument and starts
// with where it is and what field it is about, as a compiler's would:
//
//   study.textproto:7:3: unknown field "wokers" in parlab.pb.JobFile
//   study.textproto:4:1: workers: workers must be 1..1024, got 0
//
// Pure parsing and checking: nothing runs. Safe from any thread.

#include <cstdint>
#include <functional>
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

// What reading a file may do beyond parsing it.
struct JobFileChecks {
  // Load the plugin a file names (plugin_loader.h), so that its kernels are
  // known when the workload is looked up. Off, a file naming a plugin must
  // still name a built-in workload (what the fuzzer parses: it must not
  // dlopen what a fuzzed file names).
  bool load_plugin = false;
  // A command job's own checks (coordinator/command's ValidateCommandJob,
  // which this library cannot see). Its errors name a flag ("--halt: ...");
  // they are placed on the file's field for it. Null: not checked here.
  std::function<Status(const pb::JobSpec&)> check_command;
};

// Reads `path` and parses it, loading the plugin it names; errors name the
// path, line and column.
Result<JobFileSpec> LoadJobFile(const std::string& path, JobFileChecks checks = {});

// Parses `text`; `name` stands for the file in errors, and its folder is
// where the file's relative paths start. The job is validated as ValidateJob
// does (tasks 0 counts as 1 here), with the file's location of the field an
// error names in front. A command job comes back with its `command` set
// (the shape a command job has: one trial, no warmup, procs and one attempt
// unless the file says otherwise, its task timeout on the command).
Result<JobFileSpec> ParseJobFile(const std::string& text, const std::string& name,
                                 const JobFileChecks& checks = {});

// The parameter a grid's sizes set for `workload`: "n" (loop, matmul, ...),
// "us" (spin), "ms" (sleep) — the one its defaults size it by — or "" when
// it has no single size (noop, pca, conv).
std::string JobSizeField(const std::string& workload);

// `params` with its size field (JobSizeField) set to `size`; an error naming
// the workload when it has none.
Result<pb::KernelParams> WithJobSize(const pb::KernelParams& params, int64_t size);

}  // namespace parlab
