#pragma once
// How long a task must last before a verdict about modes may be drawn from
// it. A pure loop's task of half a millisecond measures what dispatching it
// costs (a blocking wake-up is 4–80 µs on the 2-vCPU development VM, issue
// 18), not the modes: the notebook's `total += i*i` at n = 1,000,000 is
// ~38 ms in CPython but ~0.5 ms natively, so at the notebook's n procs lost
// to seq and the notebook's lesson (pure loops need processes) was lost.
//
// The rule (ChooseGrain): a loop-like task lasts at least
//   floor  = max(kMinGrainS, kDispatchFactor × the dispatch cost measured here)
//   target = max(floor, a reference task's time — the notebook's Python task,
//            when the tour timed it on this machine)
// and its size is the smallest two-significant-digit number of units whose
// measured cost reaches the target, never below the size asked for.
//
// ChooseGrain and the size helpers are pure and thread-safe. MeasureUnitCost
// and MeasureDispatch block (the first runs the kernel on this thread, the
// second starts worker processes): call them from the coordinator's thread.

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

// No verdict about modes rests on a task shorter than this, whatever dispatch
// costs: 20 ms is 250× the slowest blocking wake-up seen on the development
// VM (80 µs, issue 18).
inline constexpr double kMinGrainS = 0.020;
// Nor on one shorter than this many times the dispatch cost measured here:
// at 100× dispatch is ≤ 1% of a task, below the ~5% that trials on a shared
// VM differ by.
inline constexpr double kDispatchFactor = 100;
// The largest size ChooseGrain picks: TourRow.n is an int32, and a loop of
// 1e9 iterations already lasts ~0.5 s natively.
inline constexpr int64_t kMaxGrainSize = 1'000'000'000;

// Which term of the rule decided the size.
enum class GrainBasis {
  kGiven,      // the size asked for already reaches the target
  kReference,  // as long as the reference task (the notebook's Python task)
  kDispatch,   // kDispatchFactor × the dispatch cost
  kMinimum,    // kMinGrainS
};

struct GrainInput {
  double unit_s = 0;       // native seconds per unit of size (a loop's iteration); > 0
  int64_t given_size = 0;  // the size asked for (the notebook's n, the kernel's default)
  double reference_s = 0;  // a task to last at least as long as; 0: none was timed
  double dispatch_s = 0;   // dispatch cost per task measured here; 0: not measured
};

struct Grain {
  int64_t size = 0;     // the units a task runs
  double task_s = 0;    // size × unit_s: how long such a task lasts, as measured
  double floor_s = 0;   // GrainFloor(dispatch_s)
  double target_s = 0;  // max(floor_s, reference_s)
  GrainBasis basis = GrainBasis::kMinimum;
};

// max(kMinGrainS, kDispatchFactor × dispatch_s).
double GrainFloor(double dispatch_s);

// The rule above. Precondition: input.unit_s > 0.
Grain ChooseGrain(const GrainInput& input);

// Why: "a task lasts 38.2 ms at 0.30 ns a unit: as long as the Python task
// here (38.2 ms), above the floor of 20.0 ms (≥ 20.0 ms, ≥ 100× dispatch of
// 45.0 µs)". `reference_name` names the reference task; "" when there is
// none to speak of (compare, advise).
// 42000000 -> "42,000,000".
std::string FormatGrainSize(int64_t size);

std::string DescribeGrain(const Grain& grain, const GrainInput& input,
                          std::string_view reference_name);

// Loop-like work: a kernel that holds the lock while it computes, whose task
// time grows in proportion to one parameter — loop's n (iterations), spin's
// us. Other kernels are not sized by time here (they release the lock, use
// BLAS threads, or have no such parameter; noop measures dispatch itself).
bool IsLoopLike(const KernelParams& params);
// "n" or "us"; precondition: IsLoopLike(params).
std::string_view GrainSizeName(const KernelParams& params);
int64_t GrainSize(const KernelParams& params);
KernelParams WithGrainSize(const KernelParams& params, int64_t size);

// Seconds per unit of size on this thread: the size is grown until one call
// lasts ≥ 1 ms, then the fastest of 5 calls (a busy machine only adds
// time) over the size. Precondition: IsLoopLike(params).
Result<double> MeasureUnitCost(const KernelParams& params);

// The METG-style cost of dispatch in procs mode: rounds of one noop task per
// worker on `workers` worker processes that block between tasks; per task,
// wall × workers / tasks − compute, the median over 30 rounds — what a task
// must outweigh for the workers to spend their time on it. Starts and stops its own workers
// (~0.1–0.5 s on the development VM).
Result<double> MeasureDispatch(int workers);

// Loop-like work made fit for a comparison of modes on `workers` worker
// processes (compare and advise): a size the user did not give grows to
// ChooseGrain's (no reference task: the floor decides); one they gave is
// kept, with a note when its task is under the floor. Work that is not
// loop-like comes back unchanged, with no note and nothing measured.
struct ComparableWork {
  KernelParams params;
  std::string note;          // the size chosen and why, or why a verdict is weak; "" for none
  bool under_floor = false;  // a given size whose task is shorter than the floor
};
Result<ComparableWork> SizeForComparison(const KernelParams& params, bool size_given, int workers);

}  // namespace parlab
