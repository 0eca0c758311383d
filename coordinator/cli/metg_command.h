#pragma once
// `parlab metg --modes threads,procs`: each mode's minimum effective task
// granularity (Task Bench's METG): spin tasks from 1 µs up in geometric steps,
// each step's task duration its mean in seq, until the mode keeps 50%
// efficiency; the crossing interpolated on a log scale. A table, or --json.

#include <CLI/CLI.hpp>

#include "coordinator/cli/command.h"

namespace parlab {

Command AddMetgCommand(CLI::App& app);

}  // namespace parlab
