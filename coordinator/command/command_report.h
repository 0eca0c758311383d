#pragma once
// What a command job (`parlab run --cmd`) reports when it ends: one
// pb::CommandRunReport (proto/report.proto) made from its outcome, printed
// either as the summary lines on stderr or, with --json, as one JSON line.
// Both come from the same message, so the two say the same. Pure functions.

#include <string>
#include <vector>

#include "coordinator/command/command_job.h"
#include "proto/report.pb.h"

namespace parlab {

// Counts, wall and start-up, each phase's median and mean over the settled
// tasks, the share of process start-up, the first failures, the exit code.
pb::CommandRunReport SummarizeCommandJob(const CommandJobOutcome& outcome);

// The lines printed after the run (on stderr, so stdout holds only the
// tasks' output): counts, the wall time, the phases per task, the first
// failures with their stderr tails.
std::vector<std::string> CommandSummaryLines(const pb::CommandRunReport& report);

}  // namespace parlab
