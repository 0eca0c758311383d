#pragma once
// `parlab timeit WORKLOAD [kernel flags] [--repeats R] [--loops N] [--threads T]`:
// IPython's %timeit for a parlab workload (timeit_runner.h).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddTimeitCommand(CLI::App& app);

}  // namespace parlab
