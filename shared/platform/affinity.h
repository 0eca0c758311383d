#pragma once
// CPU affinity for benchmarks and workers: pin the calling thread to one CPU
// and ask which CPU it runs on. Pinning the two ends of a ping-pong to
// different CPUs makes latency figures repeatable (no migration, no sharing a
// core with the peer). Thread-safe; each call affects only the calling thread.

#include <vector>

#include "shared/status.h"

namespace parlab {

// CPUs the calling thread may run on (sched_getaffinity; a new thread and a
// forked child start with their creator's), in ascending order. The one
// reader of the affinity mask: `parlab env`, the benchmarks and the pinning
// below all ask here.
Result<std::vector<int>> AllowedCpus();

// Lets the calling thread run on `cpus` (not empty) — what AllowedCpus()
// returned before a PinToCpu, to undo it. kInvalidArgument when none of them
// may be used.
Status SetAllowedCpus(const std::vector<int>& cpus);

// Pins the calling thread to `cpu`. Fails with kInvalidArgument naming the
// CPU when it is not in AllowedCpus(). Allocates nothing when it succeeds,
// so a forked child of a threaded parent may call it (ipc_references' peer).
Status PinToCpu(int cpu);

// The CPU the calling thread runs on now (sched_getcpu); -1 if unknown.
int CurrentCpu();

}  // namespace parlab
