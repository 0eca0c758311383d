#pragma once
// `parlab run --cmd 'gzip -9 -k {}' --inputs list.txt`: the flags of command
// tasks (GNU parallel's model) and the run that uses them. The job's shape
// (--mode, --workers, --inflight, --max-attempts, --task-timeout, --log)
// comes from the JobFlags that `run` shares with the other commands.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/cli/job_flags.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

class CommandFlags {
 public:
  explicit CommandFlags(CLI::App& app);
  CommandFlags(const CommandFlags&) = delete;
  CommandFlags& operator=(const CommandFlags&) = delete;

  // --cmd was given: `run` runs commands, not a kernel.
  bool given() const { return cmd_opt_->count() > 0; }
  // What follows ::: on the command line (cli.cc takes it off before CLI11 parses).
  void set_arguments(std::vector<std::string> arguments) { arguments_ = std::move(arguments); }
  bool has_arguments() const { return !arguments_.empty(); }

  // The job: `job_flags`' shape with the command's defaults (procs, one
  // attempt per task, no warmup, one trial). Errors name the flag. With
  // `file_job` (a command job from a job file, runtime/job_file.h), that job
  // with the flags given on top instead: --inputs or ::: replace its inputs,
  // --shell, --keep-order, --output-dir, --halt, --task-timeout its fields.
  Result<pb::JobSpec> MakeJob(const JobFlags& job_flags,
                              const pb::JobSpec* file_job = nullptr) const;
  // Runs it (or prints its command lines, --dry-run); the process exit code.
  int Run(const JobFlags& job_flags, const pb::JobSpec* file_job = nullptr) const;

 private:
  Result<pb::JobSpec> MakeJobOnFile(const JobFlags& job_flags, const pb::JobSpec& file_job) const;

  std::string cmd_, inputs_, output_dir_, halt_, resume_;
  bool shell_ = false, keep_order_ = false, dry_run_ = false;
  std::vector<std::string> arguments_;
  CLI::Option* cmd_opt_ = nullptr;
};

}  // namespace parlab
