#pragma once
// `parlab run WORKLOAD [kernel flags] --mode M --workers W ...`: one job, its
// statistics as a table or JSON.

#include "coordinator/cli/command.h"

namespace parlab {

Command AddRunCommand(CLI::App& app);

}  // namespace parlab
