#pragma once
// `parlab profile --perf`: the same profile re-run in a child under
// `perf stat -e cycles,instructions,cache-references,cache-misses`, for the
// hardware's view (IPC, cache miss rate) next to the stage table. perf is
// optional: without it, or on a machine whose counters perf cannot read (a VM
// without a virtual PMU says "<not supported>"), the report says so plainly.
// The child is exec'd (ChildProcess), so a parent that already runs OpenMP
// threads is safe. Blocking; call it from one thread.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status.h"

namespace parlab {

struct PerfEvent {
  std::string name;             // "cycles"
  std::optional<double> value;  // nullopt when perf could not count it
  std::string why_not;          // perf's own words: "not supported", "not counted"
};

struct PerfStat {
  bool ran = false;  // false: perf is missing; `note` says so
  std::string note;
  std::string command;  // what ran, for the report
  std::vector<PerfEvent> events;
};

// The events asked for, in order.
const std::vector<std::string>& PerfEventNames();

// Parses `perf stat -x,` output (value,unit,event,...; "#" comments and blank
// lines skipped). Pure, for tests.
std::vector<PerfEvent> ParsePerfCsv(std::string_view csv);

// The path of `perf` on $PATH, or nullopt.
std::optional<std::string> FindPerf();

// Runs `perf stat ... -- parlab_path <args>` with the child's stdout thrown
// away; its stderr is ours. perf missing is not an error (ran = false);
// perf failing to start or exiting non-zero is (kInternal).
Result<PerfStat> RunUnderPerf(const std::string& parlab_path, const std::vector<std::string>& args);

// The counts, IPC and cache miss rate when counted, or why not.
void PrintPerfStat(const PerfStat& stat, std::ostream& out);

}  // namespace parlab
