#pragma once
// A command of the CLI: the subcommand it registered and what runs when the
// user chose it. run() returns the process exit code: 0 ok, 1 the work ran and
// failed, 2 bad usage or input (nothing started), 3 the job ran to its end
// but some tasks failed (their worker kept dying, or they timed out).

#include <CLI/CLI.hpp>
#include <functional>

#include "shared/status.h"

namespace parlab {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTasksFailed = 3;

// Prints "parlab: <message>" to stderr and returns the exit code the status
// deserves: bad input (invalid argument, too large, not found) is a usage
// error, an interruption is 128 + the signal, anything else a failed run.
int ReportError(const Status& status);

// kExitOk for an OK status, else what ReportError(status) says (and prints).
int ExitCodeOf(const Status& status);

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

}  // namespace parlab
