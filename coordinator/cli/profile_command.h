#pragma once
// `parlab profile WORKLOAD [kernel flags] [--runs N] [--threads T] [--perf]`:
// the stage table of a staged kernel (profile_stages.h), and with --perf the
// same run in a child under perf stat (profile_perf.h).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddProfileCommand(CLI::App& app);

}  // namespace parlab
