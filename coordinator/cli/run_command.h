#pragma once
// `parlab run WORKLOAD [kernel flags] --mode M --workers W ...`: one job, its
// statistics as a table or JSON. `parlab run --cmd '...' --inputs F` (or
// `::: a b c`) runs a command per input instead (command_flags.h).

#include <string>
#include <vector>

#include "coordinator/cli/command.h"

namespace parlab {

// `arguments`: what followed ::: on the command line (the inputs of --cmd).
Command AddRunCommand(CLI::App& app, std::vector<std::string> arguments = {});

}  // namespace parlab
