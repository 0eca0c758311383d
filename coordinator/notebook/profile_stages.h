#pragma once
// `parlab profile`: the counterpart of the notebook's cProfile table for the
// kernels that time their own stages (pca: normalise, covariance, svd,
// projection; conv: im2col, gemm, pool per layer). The kernel runs in this
// process — a warm-up call (discarded), then `runs` calls — and each stage's
// time is summed over the calls: calls, total, per call, share of the calls'
// wall time, sorted by total time as pstats' sort_stats('tottime'). Blocking;
// call it from one thread.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

class Progress;

struct ProfileOptions {
  KernelParams params;  // a validated workload
  int runs = 5;         // measured calls
  int threads = 1;      // OpenMP/BLAS threads inside each call
  // Counts the calls, the warm-up too, as they end; drawn between calls,
  // outside the timed ones. Not owned; may be null.
  Progress* progress = nullptr;
};

struct StageRow {
  std::string name;
  int64_t calls = 0;
  double total_s = 0;
  double per_call_s = 0;
  double share = 0;  // total_s / the calls' wall time
};

struct ProfileReport {
  std::string workload;  // DescribeWorkload()
  int runs = 0;
  int threads = 1;
  double wall_total_s = 0;       // the measured calls, end to end
  double staged_total_s = 0;     // sum of the stages
  std::vector<StageRow> stages;  // by total time, longest first; ties by name
  // Wall time outside every stage (set-up before the first, checksum after
  // the last); never negative.
  double unstaged_s() const {
    return wall_total_s > staged_total_s ? wall_total_s - staged_total_s : 0;
  }
};

// Sums the stages of several calls by name (a name that appears twice in one
// call counts two calls) and sorts them. Pure: the tests feed it fake calls.
ProfileReport AggregateStages(const std::vector<std::vector<StageTime>>& calls,
                              double wall_total_s);

// Validates (runs 1..10000, threads 1..256: errors name the flag), runs the
// kernel, and aggregates. A kernel that reports no stages is an
// invalid-argument error naming the workloads that do.
Result<ProfileReport> ProfileStages(const ProfileOptions& options);

// The cProfile-like table: stage, calls, total, per call, share; the time
// outside stages; the total.
void PrintProfile(const ProfileReport& report, std::ostream& out);

// The same table as CSV (--csv), plain numbers: workload, stage, calls,
// total_s, per_call_s, share; a row per stage, then "(outside stages)" — the
// rows' totals add up to the calls' wall time.
std::string ProfileCsv(const ProfileReport& report);

}  // namespace parlab
