#pragma once
// `parlab advise WORKLOAD [kernel flags] [--workers W] [--trials R] [--target S]`:
// the notebook's decision guide answered by measurement (advise_runner.h).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddAdviseCommand(CLI::App& app);

}  // namespace parlab
