#pragma once
// Refuses, before anything starts, a job the machine cannot hold: buffers
// beyond the available memory, or a segment beyond the free space of
// /dev/shm (containers often give it 64 MB). The error names the workload's
// size flags and both amounts, so the user knows what to shrink.
//
// What a job holds, per mode (the modes allocate exactly this up front):
//   seq, blas        one input + one output, in the coordinator's heap;
//   threads, gil     one input + one output per worker thread;
//   procs, hybrid    the segment (rings, the input, one output per worker),
//                    in /dev/shm, which is memory too (tmpfs);
//   ... over uds     the coordinator's input and one output per worker, and
//                    in each worker a copy of the input and an output.
// Kernels' own scratch (pca, conv, svd) is not counted: it is freed after
// each task and at most a few buffers per executing thread.
// Pure functions of their arguments, plus ReadMachineResources(); thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/platform/system_memory.h"
#include "shared/status.h"

namespace parlab {

struct MachineResources {
  uint64_t available_memory_bytes = 0;  // 0: unknown, the memory check is skipped
  FreeSpace shm;                        // free space of /dev/shm
};

// MemAvailable and the free space of /dev/shm, now.
MachineResources ReadMachineResources();

struct JobFootprint {
  uint64_t memory_bytes = 0;  // everything the job allocates, the segment included
  uint64_t shm_bytes = 0;     // the segment (procs/hybrid over shm), else 0
  std::string detail;         // how memory_bytes adds up, for the error message
};

// What `job` will allocate. Precondition: the job's other fields are valid
// (workers ≥ 1, a known workload whose parameters validate).
Result<JobFootprint> FootprintOf(const pb::JobSpec& job);

// kResourceExhausted when `jobs`, all started together (compare starts every
// mode before it runs any), need more memory than is available or more
// /dev/shm than is free: "matmul --n 20000 in threads with 1000 workers needs
// 2.92 TiB of memory (input 5.96 GiB + 1000 outputs × 2.98 GiB) but 17.9 GiB
// is available (MemAvailable in /proc/meminfo); use a smaller size or fewer
// workers". An impossible segment layout is kInvalidArgument.
Status CheckResources(const std::vector<pb::JobSpec>& jobs, const MachineResources& machine);

// "1.50 GiB", "64.0 MiB", "512 bytes".
std::string HumanBytes(double bytes);

}  // namespace parlab
