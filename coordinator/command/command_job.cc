#include "coordinator/command/command_job.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <system_error>

#include "coordinator/command/command_threads_mode.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/procs_mode.h"
#include "shared/clock.h"

namespace parlab {
namespace {

namespace fs = std::filesystem;

// The job's run directory: made before any worker starts, removed with
// whatever it holds on every way out.
class RunDirectory {
 public:
  static Result<RunDirectory> Make() {
    std::error_code error;
    fs::path base = fs::temp_directory_path(error);
    if (error) base = "/tmp";
    std::random_device entropy;
    for (int attempt = 0; attempt < 16; ++attempt) {
      fs::path path =
          base / ("parlab-cmd-" + std::to_string(entropy()) + std::to_string(entropy()));
      if (fs::create_directory(path, error) && !error) {
        fs::permissions(path, fs::perms::owner_all, error);
        RunDirectory dir;
        dir.path_ = path.string();
        return dir;
      }
    }
    return Unavailable("cannot make a run directory in " + base.string() + ": " + error.message());
  }
  RunDirectory() = default;
  RunDirectory(RunDirectory&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  RunDirectory& operator=(RunDirectory&&) = delete;
  ~RunDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Status ValidateCommandJob(const pb::JobSpec& job) {
  const pb::CommandJob& command = job.command();
  if (job.mode() != pb::PROCS && job.mode() != pb::THREADS && job.mode() != pb::SEQ) {
    return InvalidArgument("--cmd runs in --mode procs (the default), threads or seq, not " +
                           std::string(ModeName(job.mode())));
  }
  PARLAB_RETURN_IF_ERROR(ParseHalt(command.halt()).status());
  if (command.timeout_ms() < 0) {
    return InvalidArgument("--task-timeout must be 0 (none) or more ms, got " +
                           std::to_string(command.timeout_ms()));
  }
  if (command.entries_size() > 0) {
    // A job file's task list: each entry is its own argv.
    if (!command.template_().empty()) {
      return InvalidArgument("--cmd: the job file's task list gives the command lines");
    }
    if (command.shell()) {
      return InvalidArgument("--shell: a listed task's command is an argv, run without a shell");
    }
    if (!command.inputs().empty() || command.arguments_size() > 0) {
      return InvalidArgument("--inputs: the job file's task list gives the commands, not inputs");
    }
    for (const pb::CommandEntry& entry : command.entries()) {
      if (entry.argv_size() == 0 || entry.argv(0).empty() || entry.repeat() < 1) {
        return InvalidArgument("--cmd: a listed task needs a program and a repeat of 1 or more");
      }
    }
    return ValidateJob(job);
  }
  PARLAB_RETURN_IF_ERROR(CommandTemplate::Parse(command.template_(), command.shell()).status());
  if (!command.inputs().empty() && command.arguments_size() > 0) {
    return InvalidArgument("give the inputs either with --inputs or after :::, not both");
  }
  if (command.inputs().empty() && command.arguments_size() == 0) {
    return InvalidArgument("--cmd needs inputs: --inputs FILE, --inputs - (stdin) or ::: ARGS");
  }
  return ValidateJob(job);
}

Result<std::unordered_map<uint64_t, std::string>> ReadResumeLog(const std::string& path) {
  std::ifstream file(path);
  if (!file) return InvalidArgument("--resume: cannot read " + path);
  std::unordered_map<uint64_t, std::string> done;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::string line;
  while (std::getline(file, line)) {
    pb::TaskRecord record;
    // The header and a line cut short by a killed run do not parse as a
    // command record: they are passed over.
    if (line.find("\"command\"") == std::string::npos) continue;
    if (!google::protobuf::util::JsonStringToMessage(line, &record, options).ok()) continue;
    if (!record.has_command() || record.status() != pb::TASK_OK) continue;
    done[record.command().seq()] = record.command().input();
  }
  return done;
}

Result<CommandJobOutcome> RunCommandJob(pb::JobSpec job, CommandInputs& inputs,
                                        std::unordered_map<uint64_t, std::string> done,
                                        CommandFeed::Sinks sinks) {
  PARLAB_ASSIGN_OR_RETURN(RunDirectory run_dir, RunDirectory::Make());
  job.mutable_command()->set_run_dir(run_dir.path());
  if (!job.command().output_dir().empty()) {
    std::error_code error;
    fs::create_directories(job.command().output_dir(), error);
    if (error) {
      return InvalidArgument("--output-dir: cannot make " + job.command().output_dir() + ": " +
                             error.message());
    }
  }
  CommandTemplate command;  // none for a task list of commands: each has its argv
  if (job.command().entries_size() == 0) {
    PARLAB_ASSIGN_OR_RETURN(
        command, CommandTemplate::Parse(job.command().template_(), job.command().shell()));
  }
  PARLAB_ASSIGN_OR_RETURN(HaltRule halt, ParseHalt(job.command().halt()));
  CommandFeed feed(job.command(), std::move(command), halt, inputs, std::move(done), sinks);

  std::unique_ptr<Mode> mode;
  if (job.mode() == pb::PROCS) {
    auto procs = std::make_unique<ProcsMode>(job);
    procs->set_feed(&feed);
    mode = std::move(procs);
  } else {
    if (job.mode() == pb::SEQ) job.set_workers(1);
    mode = std::make_unique<CommandThreadsMode>(job, &feed);
  }
  CommandJobOutcome outcome;
  const int64_t start_ns = NowNs();
  PARLAB_RETURN_IF_ERROR(mode->Start());
  outcome.startup_ns = NowNs() - start_ns;
  Result<TrialRun> run = mode->RunTrial(0, 0);
  mode->Stop();  // a halted job's commands are killed here, with the workers' or threads' end
  feed.Flush();
  outcome.wall_ns = run.ok() ? run->wall_ns : 0;
  if (!run.ok()) return run.status();
  PARLAB_RETURN_IF_ERROR(feed.error());
  outcome.notes = mode->Notes();
  outcome.job = job;
  outcome.tasks = feed.tasks();
  outcome.settled = feed.settled();
  outcome.failed = feed.failed();
  outcome.skipped = feed.skipped();
  outcome.halt_reason = feed.halt_reason();
  outcome.first_failures = feed.first_failures();
  outcome.records = feed.records();
  return outcome;
}

int CommandExitCode(const CommandJobOutcome& outcome) {
  return static_cast<int>(std::min<uint64_t>(outcome.failed, 101));
}

}  // namespace parlab
