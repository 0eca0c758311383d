#pragma once
// `parlab bench <what>`: measurements of one piece of parlab against a
// reference, each a subcommand (gemm today; ipc and log to come). Unlike
// `parlab run`, a bench does not run a job: it times one thing carefully and
// says how far it is from what the machine or a reference library can do.

#include "coordinator/cli/command.h"

namespace parlab {

// Registers `bench` and its subcommands on `app`. run() runs the one chosen.
Command AddBenchCommand(CLI::App& app);

}  // namespace parlab
