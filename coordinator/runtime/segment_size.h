#pragma once
// How big a procs or hybrid job's shared-memory segment will be, computed
// from the job alone, before anything is created: validation refuses a job
// whose segment would not fit in /dev/shm with both sizes, and the shm
// transport plans the same layout when it starts (one rule, so the check
// cannot drift from what is created). Pure functions; thread-safe.

#include <cstdint>

#include "proto/parlab.pb.h"
#include "shared/shm/layout.h"
#include "shared/status.h"

namespace parlab {

// Tasks per frame: job.chunk(), or for 0 ("auto") Pool.map's rule,
// ceil(tasks / (4 × workers)), at least 1 and at most kMaxChunk (so that a
// huge --tasks cannot ask for gigabyte rings).
int ChunkFor(const pb::JobSpec& job);

// What one command task may put in a frame: its command line (at most
// kMaxCommandLineBytes) one way, the output that travels inline (at most
// kCommandInlineBytes per stream) and its tails the other.
inline constexpr uint64_t kMaxCommandLineBytes = 64 * 1024;
inline constexpr uint64_t kCommandInlineBytes = 16 * 1024;
inline constexpr uint64_t kCommandFrameBytes =
    kMaxCommandLineBytes + 2 * kCommandInlineBytes + 4096;

// The layout the shm transport plans: one request and one response ring per
// worker, each holding 4 × inflight frames of `ChunkFor(job)` task specs (at
// least 64 KiB), and an arena with the one input every task reads and one
// output per worker, each 64-byte aligned (the doorbell and the boards are
// PlanLayout's own regions).
// kInvalidArgument for an unknown workload.
Result<LayoutSpec> SegmentLayoutFor(const pb::JobSpec& job);

// The segment's total bytes (PlanLayout of SegmentLayoutFor); the error names
// the field when the layout is impossible (e.g. rings above 4 GiB).
Result<uint64_t> SegmentBytesFor(const pb::JobSpec& job);

}  // namespace parlab
