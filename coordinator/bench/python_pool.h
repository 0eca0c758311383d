#pragma once
// Python's multiprocessing Pool.map on noop tasks: the peer of the
// throughput rows of `parlab bench ipc`, measured in the same run. A small
// script (kPoolMapScript in python_pool.cc) is run by python3 through
// RunSubprocess (shared/platform/subprocess.h); it forks a Pool of `workers`
// processes and times Pool.map of a function that returns its argument, once
// with chunksize=1 (one task a message, as parlab's --chunk 1) and once with
// Pool.map's default chunksize, ceil(tasks / (4 × workers)) (as --chunk
// auto), each sized so that its measured map lasts about budget_s.
// Blocking; one thread.

#include <cstdint>
#include <string>

#include "shared/status.h"

namespace parlab {

struct PoolMapRates {
  std::string python;          // "3.11.2"
  double one_per_message = 0;  // tasks/s, chunksize=1
  int64_t one_per_message_tasks = 0;
  double batched = 0;  // tasks/s, default chunksize
  int64_t batched_tasks = 0;
  int64_t batched_chunksize = 0;
};

// The python3 to run: $PARLAB_PYTHON if set, else python3 on $PATH.
std::string PoolMapPython();

// kNotFound when there is no such python3 (the caller skips the rows, saying
// so); another error when the script failed or printed no answer.
Result<PoolMapRates> MeasurePoolMap(const std::string& python, int workers, double budget_s);

}  // namespace parlab
