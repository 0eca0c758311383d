#pragma once
// The flags every job-running command shares: the workload's parameters
// (--n, --us, --ms, --rows, ...) and the job's shape (--workers, --threads,
// --tasks, --warmup, --trials, ...). A flag the user did not give keeps the
// workload's or the job's default; one they gave is validated, even if 0.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/cli/kernel_flags.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

class JobFlags {
 public:
  // Registers the flags on `app`; `json_message` is what --json prints (its
  // help names it); `with_mode` adds --mode (run, not compare); without
  // `with_workers` there is no --workers (sweep takes a list of its own).
  JobFlags(CLI::App& app, const std::string& json_message, bool with_mode,
           bool with_workers = true);
  // The options hold pointers to the members: never copied or moved.
  JobFlags(const JobFlags&) = delete;
  JobFlags& operator=(const JobFlags&) = delete;

  // The job the flags describe, on top of DefaultJob() and the workload's
  // Defaults(). tasks stays 0 when --tasks was not given (calibrate later).
  // Errors name the flag.
  Result<pb::JobSpec> MakeJob() const;
  // The same on top of `base` (a job file's job) instead of DefaultJob():
  // only the flags given override it, kernel flags on every task of its task
  // list too.
  Result<pb::JobSpec> MakeJob(const pb::JobSpec& base) const;

  bool mode_given() const { return mode_opt_ != nullptr && mode_opt_->count() > 0; }
  bool workers_given() const { return workers_opt_ != nullptr && workers_opt_->count() > 0; }
  const KernelFlags& kernel() const { return kernel_; }

  bool threads_given() const { return threads_opt_->count() > 0; }
  bool max_attempts_given() const { return max_attempts_opt_->count() > 0; }
  bool wait_given() const { return wait_opt_->count() > 0; }
  bool task_timeout_given() const { return task_timeout_opt_->count() > 0; }
  bool size_given() const { return kernel_.size_given(); }
  bool json() const { return json_; }
  const std::string& log_path() const { return log_path_; }

 private:
  // `from_file`: only given flags apply (mode, wait and transport included).
  Result<pb::JobSpec> MakeJobOn(pb::JobSpec job, bool from_file) const;

  KernelFlags kernel_;  // the workload and its parameters
  std::string mode_ = "seq";
  int workers_ = 0, threads_ = 0, warmup_ = 0, trials_ = 0, inflight_ = 0;
  int64_t tasks_ = 0;
  double switch_interval_ms_ = 0;
  std::string chunk_ = "1";
  std::string wait_ = "adaptive";
  std::string transport_ = "shm";
  int max_attempts_ = 0;
  int64_t task_timeout_ms_ = 0, heartbeat_timeout_ms_ = 0;
  std::string fault_;
  bool json_ = false;
  std::string log_path_;

  CLI::Option* mode_opt_ = nullptr;
  CLI::Option* workers_opt_ = nullptr;
  CLI::Option* threads_opt_;
  CLI::Option* tasks_opt_;
  CLI::Option* warmup_opt_;
  CLI::Option* trials_opt_;
  CLI::Option* inflight_opt_;
  CLI::Option* switch_opt_;
  CLI::Option* chunk_opt_;
  CLI::Option* wait_opt_;
  CLI::Option* transport_opt_;
  CLI::Option* max_attempts_opt_;
  CLI::Option* task_timeout_opt_;
  CLI::Option* heartbeat_timeout_opt_;
  CLI::Option* fault_opt_ = nullptr;
};

// Parses a job's flags (what follows `parlab run`, without the command name:
// {"matmul", "--n", "200", "--mode", "procs"}) into a validated job, running
// nothing: the same JobFlags and MakeJob() the CLI uses, minus the output
// flags' effects. `with_mode` as for JobFlags (true: run's flags). Every
// error, a malformed flag included, is kInvalidArgument (or
// kResourceExhausted for a job too large for the machine) naming the flag.
// For tests and the flag fuzzer (fuzz/job_flags_fuzzer.cc).
Result<pb::JobSpec> ParseJobArgs(const std::vector<std::string>& args, bool with_mode = true);

}  // namespace parlab
