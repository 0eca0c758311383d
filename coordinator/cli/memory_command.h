#pragma once
// `parlab memory [--n N] [--batch B --channels C --size S --layers L]
// [--threads T] [--no-peak]`: the notebook's memory section,
// computed and measured (memory_report.h). `--probe-conv` (hidden) makes this
// process the child that measures a forward pass (memory_probe.h).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddMemoryCommand(CLI::App& app);

}  // namespace parlab
