#pragma once
// Runs a command job (`parlab run --cmd ...`): one trial, no warmup, over
// tasks that a CommandFeed brings in as its inputs arrive, in procs (the
// workers start the programs) or threads/seq (threads of this process do).
// The job's run directory (where an output too big to travel is written) is
// made here and removed on every way out. Called from the coordinator's
// thread.

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "coordinator/command/command_feed.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

struct CommandJobOutcome {
  pb::JobSpec job;
  int64_t startup_ns = 0;  // the workers or threads started
  int64_t wall_ns = 0;     // the one trial: first task sent to last output written
  uint64_t tasks = 0;      // inputs taken as tasks (skipped ones not counted)
  uint64_t settled = 0;    // tasks that ended, well or not (fewer after a halt)
  uint64_t failed = 0;
  uint64_t skipped = 0;     // --resume: recorded as done before
  std::string halt_reason;  // "" unless --halt stopped the job
  std::vector<CommandFailure> first_failures;
  std::vector<TaskRecord> records;  // in settling order, command stamps included
  std::vector<std::string> notes;   // from the mode
};

// The inputs a --resume log holds as done (status OK): input number → input.
// Lines that are not command records are passed over; an unreadable file is
// an error naming --resume.
Result<std::unordered_map<uint64_t, std::string>> ReadResumeLog(const std::string& path);

// Precondition: ValidateCommandJob(job).ok(). Fills job.command().run_dir.
Result<CommandJobOutcome> RunCommandJob(pb::JobSpec job, CommandInputs& inputs,
                                        std::unordered_map<uint64_t, std::string> done,
                                        CommandFeed::Sinks sinks);

// What only a command job must satisfy (its mode, its template, --halt).
Status ValidateCommandJob(const pb::JobSpec& job);

// GNU parallel's exit status: the number of failed tasks, at most 101.
int CommandExitCode(const CommandJobOutcome& outcome);

}  // namespace parlab
