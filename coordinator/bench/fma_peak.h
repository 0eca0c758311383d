#pragma once
// The CPU's double-precision peak for one core, measured rather than looked up:
// a loop of independent fused multiply-add chains, as wide as the vectors this
// binary was compiled for (AVX-512, else AVX2, else scalar fma). It is the
// yardstick for "% of peak" in `parlab bench gemm`. A GEMM cannot beat it; a
// good one reaches 80-95% of it.
//
// The figure is per core: a run on T threads is compared against T times it,
// which assumes the cores do not share FMA units (no SMT sibling) and hold the
// same clock when all are busy. Thread-safe (no shared state); it keeps the
// calling thread busy for about `duration_ns`.

#include <cstdint>

namespace parlab {

struct FmaPeak {
  double gflops_per_core = 0;
  const char* isa = "";  // "AVX-512", "AVX2" or "scalar": the vectors the loop used
  int chains = 0;        // independent accumulators, enough to cover the FMA latency
};

// Runs the loop in blocks of about 1 ms for `duration_ns` in total and
// returns the best block: on a shared machine other work can only slow a block
// down, never speed it up, so the fastest block is the closest to the peak.
FmaPeak MeasureFmaPeak(int64_t duration_ns = 150'000'000);

}  // namespace parlab
