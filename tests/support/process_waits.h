#pragma once
// Liveness checks for the tests that start processes: a bounded wait for a
// condition, and whether a process still runs. A generous bound, never a
// timing: a loaded machine only makes the wait longer.

#include <sys/types.h>

#include <chrono>
#include <thread>

#include "shared/platform/process_list.h"

namespace parlab {

// Polls `done` until it holds or `limit` has passed; whether it held.
template <typename Predicate, typename Rep, typename Period>
bool WaitFor(Predicate done, std::chrono::duration<Rep, Period> limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// Whether `pid` runs: listed, and not a zombie waiting for a reaper that is
// not us (it has exited either way).
inline bool ProcessRuns(pid_t pid) {
  for (const ProcessEntry& p : ListProcesses()) {
    if (p.pid == pid) return p.state != 'Z' && p.state != 'X';
  }
  return false;
}

}  // namespace parlab
