#pragma once
// `parlab sweep WORKLOAD --workers 1,2,4,8 --modes threads,gil,procs`: every
// mode at every worker count against one seq reference measured in the same
// run — speedup, efficiency, Karp–Flatt serial fraction, an Amdahl fit per
// mode, IPC share — as a table, CSV or JSON, and a plot (gnuplot, or a text
// chart where gnuplot is missing).

#include <CLI/CLI.hpp>

#include "coordinator/cli/command.h"

namespace parlab {

Command AddSweepCommand(CLI::App& app);

}  // namespace parlab
