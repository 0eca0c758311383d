#pragma once
// `parlab timeit`: the counterpart of IPython's %timeit for one workload, run
// in this process on this thread (with `threads` OpenMP threads inside the
// kernel). As Python's timeit.Timer.autorange(), the loop count grows
// 1, 2, 5, 10, 20, 50, ... until one repeat of that many calls lasts at least
// 0.2 s; then `repeats` repeats run, and each repeat's time divided by the
// loop count is one timing. Best, mean and std (population std, as IPython's
// TimeitResult) are per loop. Blocking; call it from one thread.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "proto/report.pb.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

class Progress;

struct TimeitOptions {
  KernelParams params;        // a validated workload (KernelFlags::MakeParams)
  int repeats = 7;            // IPython's default -r 7
  int threads = 1;            // OpenMP/Eigen threads inside each call
  double min_repeat_s = 0.2;  // autorange's target for one repeat
  int64_t loops = 0;          // 0: autorange; otherwise IPython's -n
  // Names the calibration, then counts each repeat's calls when the repeat
  // ends: a repeat is one timed interval, so nothing is drawn inside it. Not
  // owned; may be null.
  Progress* progress = nullptr;
};

// The result is pb::TimeitReport (proto/report.proto) itself: what --json
// prints, the text (timeit_format.h) and the tour read, with no copy between
// a struct and the message.

// Python's autorange: loop counts 1, 2, 5, 10, 20, 50, ... until
// time_loops(count) >= min_s; returns that count. `time_loops` runs the code
// `count` times and returns the seconds it took. Stops at 10^10 loops (a
// workload that takes no time at all). Exposed for tests with fake timings.
int64_t AutorangeLoops(const std::function<double(int64_t)>& time_loops, double min_s);

// Fills best/worst/mean/std of `result` from result.per_loop_s.
void SummarizeTimings(pb::TimeitReport& result);

// "matmul n=500", "pca rows=1000 cols=100 k=10": the workload and the
// parameters it uses (those that are set), for report titles.
std::string DescribeWorkload(const KernelParams& params);

// Validates the options (repeats 1..1000, threads 1..256, loops 0..10^10: an
// invalid-argument error naming the flag), prepares the workload's buffers,
// calibrates and runs.
Result<pb::TimeitReport> Timeit(const TimeitOptions& options);

}  // namespace parlab
