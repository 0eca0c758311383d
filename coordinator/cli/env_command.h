#pragma once
// `parlab env [--json]`: what the machine, the build and the environment are,
// and what in them would hurt a parallel run (coordinator/report/env_report.h).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddEnvCommand(CLI::App& app);

}  // namespace parlab
