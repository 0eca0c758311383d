#pragma once
// `parlab bench cmd`: what starting a process per input costs through
// parlab, next to the tools its users know, in one run over the same inputs:
// `xargs -P W -n 1 true`, GNU parallel's `parallel -j W true` (when it is
// installed; else a row that says how to get it) and `parlab run --cmd true
// --workers W` with its log on — every task stamped, its output captured and
// its record written. Each tool runs as a child process, rounds alternating
// (so a drifting machine shifts all alike); the median wall of each is
// printed with its ratio to xargs, beside the targets (parlab ≤ 1.1 × xargs,
// parallel ≥ 4 × parlab). A measurement, not a test.

#include <cstdint>

#include "shared/status.h"

namespace parlab {

inline constexpr double kCmdVsXargsTarget = 1.1;     // parlab's wall / xargs's, at most
inline constexpr double kParallelVsCmdTarget = 4.0;  // GNU parallel's wall / parlab's, at least

struct CmdBenchOptions {
  int64_t inputs = 2000;
  int workers = 2;
  int rounds = 3;
  bool json = false;
  bool markdown = false;  // the table as Markdown
  bool csv = false;       // the rows as CSV, plain numbers
};

// Measures and prints; kInvalidArgument on bad options, kNotFound when xargs
// is missing, the failure of a tool that did not run cleanly.
Status RunBenchCmd(const CmdBenchOptions& options);

}  // namespace parlab
