#pragma once
// Runs another program — python3 with the notebook's code, or this
// executable again with other thread variables or another OPENBLAS_CORETYPE
// (the tour, bench gemm) — and returns what it printed (stdout and stderr
// together), killing it at a deadline. Started with posix_spawn, not fork():
// the caller already runs OpenMP and OpenBLAS threads, and a forked copy of
// those can hang (GCC bug 60035). Blocking; one thread.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

struct Subprocess {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  // Variables set (a value) or removed (nullopt) in a copy of our environment.
  std::map<std::string, std::optional<std::string>> env;
  double timeout_s = 60;
  // The file to execute when it is not argv[0]: "/proc/self/exe" runs this
  // very executable even when a rebuild has replaced (deleted) its path.
  std::string path;
};

// The output of a run that exited with 0. Errors: kNotFound when the program
// does not exist, kDeadlineExceeded when it ran out of time (it is killed and
// reaped), kInternal for another failure (exit code or signal, and the last
// line it printed).
Result<std::string> RunSubprocess(const Subprocess& run);
// The same for `argv` in our own environment.
Result<std::string> RunSubprocess(std::vector<std::string> argv, double timeout_s);

// The last line of `output` that starts with '{' (the one-line JSON answer
// of a script that may have printed warnings first); "" if none.
std::string LastJsonLine(const std::string& output);

// This executable's path (from /proc/self/exe).
Result<std::string> SelfExecutable();

}  // namespace parlab
