#pragma once
// `parlab compare [WORKLOAD] [kernel flags] --modes seq,threads,gil,blas
// --workers W`: the same tasks in every mode, one row per mode with its
// speedup over seq. With no arguments: every mode on `loop` with 2 workers.

#include "coordinator/cli/command.h"

namespace parlab {

Command AddCompareCommand(CLI::App& app);

}  // namespace parlab
