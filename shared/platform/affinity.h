#pragma once
// CPU affinity for benchmarks and workers: pin the calling thread to one CPU
// and ask which CPU it runs on. Pinning the two ends of a ping-pong to
// different CPUs makes latency figures repeatable (no migration, no sharing a
// core with the peer). Thread-safe; each call affects only the calling thread.

#include <vector>

#include "shared/status.h"

namespace parlab {

// CPUs this process may run on (sched_getaffinity), in ascending order.
Result<std::vector<int>> AllowedCpus();

// Pins the calling thread to `cpu`. Fails with kInvalidArgument naming the
// CPU when it is not in AllowedCpus().
Status PinToCpu(int cpu);

// The CPU the calling thread runs on now (sched_getcpu); -1 if unknown.
int CurrentCpu();

}  // namespace parlab
