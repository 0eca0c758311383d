#pragma once
// Turns a job's outcome into the figures every report shows: wall time per
// trial with its statistics, throughput, GFLOPS/GB/s, the per-task overhead
// split by phase and its share, and the warnings (noise, oversubscription,
// build). Pure; thread-safe.

#include "coordinator/runtime/job_runner.h"
#include "proto/parlab.pb.h"

namespace parlab {

// usable_cores: for the oversubscription warning (<= 0: not checked).
pb::JobSummary SummarizeJob(const JobOutcome& outcome, int usable_cores);

// Fills speedup and efficiency of `row` against the reference (seq) wall mean.
void SetSpeedup(pb::JobSummary& row, double reference_wall_mean_s, int parallel_units);

}  // namespace parlab
