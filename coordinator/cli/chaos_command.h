#pragma once
// `parlab chaos [--duration 60s] [--kill-every 50ms] [--workers 2] ...`: a
// procs job of small spin tasks under a killer that SIGKILLs a random worker
// every period; prints tasks done, workers killed, tasks retried and tasks
// lost (must be 0). Not part of CI: the test runs a short one (chaos_test).

#include "coordinator/cli/command.h"

namespace parlab {

Command AddChaosCommand(CLI::App& app);

}  // namespace parlab
