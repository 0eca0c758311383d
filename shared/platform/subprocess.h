#pragma once
// RunSubprocess: ChildProcess run to completion — python3 with the notebook's
// code, or this executable again with other thread variables or another
// OPENBLAS_CORETYPE (the tour, bench gemm) — returning what it printed
// (stdout and stderr together, interleaved as written) and killing it at a
// deadline. Blocking; call it from a thread that lives until it returns (see
// child_process.h on PR_SET_PDEATHSIG).

#include <string>
#include <vector>

#include "shared/platform/child_process.h"
#include "shared/status.h"

namespace parlab {

// Runs `spec` with its stdout and stderr captured (spec.stdout_to and
// stderr_to are set to kCapture) and returns the output of a run that exited
// with 0. Errors: kNotFound when the program does not exist,
// kDeadlineExceeded when it ran past timeout_s (it is killed and reaped),
// kInternal for another failure (exit code or signal, and the last line it
// printed).
Result<std::string> RunSubprocess(ChildSpec spec, double timeout_s);
// The same for `argv` in our own environment.
Result<std::string> RunSubprocess(std::vector<std::string> argv, double timeout_s);

// The last line of `output` that starts with '{' (the one-line JSON answer
// of a script that may have printed warnings first); "" if none.
std::string LastJsonLine(const std::string& output);

}  // namespace parlab
