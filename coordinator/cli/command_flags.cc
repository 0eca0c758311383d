#include "coordinator/cli/command_flags.h"

#include <chrono>
#include <iostream>
#include <thread>

#include "coordinator/cli/command.h"
#include "coordinator/command/command_inputs.h"
#include "coordinator/command/command_job.h"
#include "coordinator/command/command_report.h"
#include "coordinator/observe/log_writer.h"
#include "coordinator/report/json_output.h"
#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

Result<std::unique_ptr<CommandInputs>> OpenInputs(const pb::CommandJob& command) {
  if (command.inputs().empty()) {
    return CommandInputs::Fixed({command.arguments().begin(), command.arguments().end()});
  }
  return CommandInputs::Read(command.inputs());
}

// --dry-run: every input's command line, as they arrive; nothing runs.
int PrintCommands(const pb::CommandJob& command) {
  for (const pb::CommandEntry& entry : command.entries()) {
    std::string line;
    for (const std::string& word : entry.argv())
      line += (line.empty() ? "" : " ") + ShellQuote(word);
    for (int64_t r = 0; r < entry.repeat(); ++r) std::cout << line << "\n";
  }
  if (command.entries_size() > 0) {
    std::cout.flush();
    return kExitOk;
  }
  Result<CommandTemplate> line = CommandTemplate::Parse(command.template_(), command.shell());
  if (!line.ok()) return ReportError(line.status());
  Result<std::unique_ptr<CommandInputs>> inputs = OpenInputs(command);
  if (!inputs.ok()) return ReportError(inputs.status());
  std::vector<std::string> arrived;
  uint64_t seq = 0;
  for (;;) {
    const bool ended = (*inputs)->Ended();
    arrived.clear();
    (*inputs)->TakeNew(arrived);
    for (const std::string& input : arrived) std::cout << line->Line(input, ++seq) << "\n";
    if (ended && arrived.empty()) break;
    if (arrived.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::cout.flush();
  return ExitCodeOf((*inputs)->status());
}

}  // namespace

CommandFlags::CommandFlags(CLI::App& app) {
  const char* group = "Command tasks (GNU parallel's model; then no workload is given)";
  cmd_opt_ = app.add_option("--cmd", cmd_,
                            "run this command per input instead of a kernel, e.g. 'gzip -9 -k {}'; "
                            "{} {.} {/} {//} {/.} {#} as GNU parallel; no shell unless --shell, "
                            "so an input is one argument whatever it holds")
                 ->group(group);
  app.add_option("--inputs", inputs_,
                 "a file of inputs, one a line; '-' reads stdin as a stream (tasks start before "
                 "it ends); or give them after :::")
      ->group(group);
  app.add_flag("--shell", shell_,
               "run the expanded command under /bin/sh -c (quoting is then yours)")
      ->group(group);
  app.add_flag("--keep-order", keep_order_,
               "print each task's output in input order (default: as tasks end; always whole)")
      ->group(group);
  app.add_option("--output-dir", output_dir_,
                 "write each task's stdout and stderr to DIR/{#}.out and DIR/{#}.err instead")
      ->group(group);
  app.add_option("--halt", halt_,
                 "stop early, as GNU parallel: WHEN,WHY=N — now (kill the running ones) or "
                 "soon (let them finish), at N failed (fail=N) or succeeded (success=N) "
                 "tasks, or N% of those settled (at least 3); default never")
      ->group(group);
  app.add_option("--resume", resume_,
                 "skip the inputs a previous run's --log recorded as done (exit 0)")
      ->group(group);
  app.add_flag("--dry-run", dry_run_, "print the command lines, run nothing")->group(group);
}

Result<pb::JobSpec> CommandFlags::MakeJob(const JobFlags& job_flags,
                                          const pb::JobSpec* file_job) const {
  if (file_job != nullptr) return MakeJobOnFile(job_flags, *file_job);
  PARLAB_ASSIGN_OR_RETURN(pb::JobSpec job, job_flags.MakeJob());
  if (!job_flags.mode_given()) job.set_mode(pb::PROCS);
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_tasks(1);  // a command job is one trial of as many tasks as inputs come
  job.set_warmup(0);
  job.set_trials(1);
  job.set_chunk(1);
  // A command takes hundreds of µs at least: neither side should spin (on a
  // small machine a spinning coordinator takes the core a command needs).
  if (!job_flags.wait_given()) job.set_wait(pb::BLOCK);
  // GNU parallel runs a failed command once unless told (--retries).
  if (!job_flags.max_attempts_given()) job.set_max_attempts(1);
  pb::CommandJob& command = *job.mutable_command();
  command.set_template_(cmd_);
  command.set_shell(shell_);
  // The workers enforce it on the command: the worker itself is not killed.
  command.set_timeout_ms(job.task_timeout_ms());
  job.set_task_timeout_ms(0);
  command.set_output_dir(output_dir_);
  command.set_keep_order(keep_order_);
  command.set_halt(halt_);
  command.set_inputs(inputs_);
  for (const std::string& argument : arguments_) command.add_arguments(argument);
  command.set_resume(resume_);
  PARLAB_RETURN_IF_ERROR(ValidateCommandJob(job));
  return job;
}

Result<pb::JobSpec> CommandFlags::MakeJobOnFile(const JobFlags& job_flags,
                                                const pb::JobSpec& file_job) const {
  // The file's job already has a command job's shape (ParseJobFile); the
  // flags given override it, the shape stays.
  PARLAB_ASSIGN_OR_RETURN(pb::JobSpec job, job_flags.MakeJob(file_job));
  *job.mutable_kernel() = file_job.kernel();
  job.set_tasks(1);
  job.set_warmup(0);
  job.set_trials(1);
  job.set_chunk(1);
  pb::CommandJob& command = *job.mutable_command();
  if (job_flags.task_timeout_given()) command.set_timeout_ms(job.task_timeout_ms());
  job.set_task_timeout_ms(0);
  if (shell_) command.set_shell(true);
  if (keep_order_) command.set_keep_order(true);
  if (!output_dir_.empty()) command.set_output_dir(output_dir_);
  if (!halt_.empty()) command.set_halt(halt_);
  if (!inputs_.empty() || !arguments_.empty()) {
    command.set_inputs(inputs_);
    command.clear_arguments();
    for (const std::string& argument : arguments_) command.add_arguments(argument);
  }
  command.set_resume(resume_);
  PARLAB_RETURN_IF_ERROR(ValidateCommandJob(job));
  return job;
}

int CommandFlags::Run(const JobFlags& job_flags, const pb::JobSpec* file_job) const {
  Result<pb::JobSpec> job = MakeJob(job_flags, file_job);
  if (!job.ok()) return ReportError(job.status());
  if (dry_run_) return PrintCommands(job->command());
  std::unordered_map<uint64_t, std::string> done;
  if (!resume_.empty()) {
    Result<std::unordered_map<uint64_t, std::string>> read = ReadResumeLog(resume_);
    if (!read.ok()) return ReportError(read.status());
    done = std::move(read).value();
  }
  std::unique_ptr<LogWriter> log;
  if (!job_flags.log_path().empty()) {
    Result<std::unique_ptr<LogWriter>> opened = LogWriter::Open(job_flags.log_path(), *job);
    if (!opened.ok()) return ReportError(opened.status());
    log = std::move(opened).value();
  }
  Result<std::unique_ptr<CommandInputs>> inputs = OpenInputs(job->command());
  if (!inputs.ok()) return ReportError(inputs.status());
  std::unique_ptr<Progress> progress = Progress::OnStderr(0);
  progress->SetStage("--cmd");
  CommandFeed::Sinks sinks;
  sinks.log = log.get();
  sinks.progress = progress.get();
  Result<CommandJobOutcome> outcome = RunCommandJob(*job, **inputs, std::move(done), sinks);
  progress->Clear();
  if (!outcome.ok()) return ReportError(outcome.status());
  if (log != nullptr) {
    if (Status closed = log->Close(); !closed.ok()) return ReportError(closed);
  }
  const pb::CommandRunReport report = SummarizeCommandJob(*outcome);
  if (job_flags.json()) {
    // The last line of stdout: the tasks' output, if any, came before it.
    std::cout << ToJson(report) << "\n";
    std::cout.flush();
  } else {
    for (const std::string& line : CommandSummaryLines(report)) std::cerr << line << "\n";
  }
  return CommandExitCode(*outcome);
}

}  // namespace parlab
