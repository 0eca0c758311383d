#include "coordinator/bench/fma_peak.h"

#include <algorithm>
#include <cmath>

#include "shared/clock.h"
#include "shared/intrinsics.h"  // not <immintrin.h>: see why there

namespace parlab {
namespace {

// Twelve chains: an FMA has a latency of 4-5 cycles and cores issue two per
// cycle, so 8-10 independent accumulators are needed to keep both units busy.
// Twelve covers that and still fits AVX2's 16 registers with the two constants
// (on the project's Zen 3: 4 chains 26, 8-12 chains 51, 16 chains 20 GFLOPS —
// 16 spills to the stack).
constexpr int kChains = 12;

// acc = acc·a + b converges to b / (1 - a) = 0.1: no overflow, no denormals,
// so no slow microcode paths can spoil the figure.
constexpr double kMultiplier = 0.999999;
constexpr double kAddend = 1e-7;

#if defined(__AVX512F__)
constexpr const char* kIsa = "AVX-512";
constexpr int kLanes = 8;
double RunChains(int64_t iterations) {
  __m512d acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_pd(0.01 * i);
  const __m512d a = _mm512_set1_pd(kMultiplier);
  const __m512d b = _mm512_set1_pd(kAddend);
  for (int64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_pd(acc[i], a, b);
  }
  __m512d total = acc[0];
  for (int i = 1; i < kChains; ++i) total = _mm512_add_pd(total, acc[i]);
  return _mm512_reduce_add_pd(total);
}
#elif defined(__AVX2__) && defined(__FMA__)
constexpr const char* kIsa = "AVX2";
constexpr int kLanes = 4;
double RunChains(int64_t iterations) {
  __m256d acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_pd(0.01 * i);
  const __m256d a = _mm256_set1_pd(kMultiplier);
  const __m256d b = _mm256_set1_pd(kAddend);
  for (int64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_pd(acc[i], a, b);
  }
  __m256d total = acc[0];
  for (int i = 1; i < kChains; ++i) total = _mm256_add_pd(total, acc[i]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, total);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#else
constexpr const char* kIsa = "scalar";
constexpr int kLanes = 1;
double RunChains(int64_t iterations) {
  double acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = 0.01 * i;
  for (int64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) acc[i] = std::fma(acc[i], kMultiplier, kAddend);
  }
  double total = 0;
  for (double value : acc) total += value;
  return total;
}
#endif

constexpr double kFlopsPerIteration = 2.0 * kLanes * kChains;  // an FMA is two flops

// Keeps the sums observable, so the compiler cannot drop the loop.
volatile double g_sink = 0;

}  // namespace

FmaPeak MeasureFmaPeak(int64_t duration_ns) {
  // Calibrate a block to about 1 ms: long enough to dwarf the clock reads
  // (~20 ns), short enough that on a busy machine, where the scheduler hands
  // out slices of a few ms, some blocks still run from start to end undisturbed.
  int64_t iterations = 1 << 10;
  for (;;) {
    const int64_t start = NowNs();
    g_sink = g_sink + RunChains(iterations);
    if (NowNs() - start >= 250'000 || iterations >= (int64_t{1} << 40)) break;
    iterations *= 2;
  }
  iterations *= 4;

  double best_gflops = 0;
  const int64_t end = NowNs() + duration_ns;
  do {
    const int64_t start = NowNs();
    g_sink = g_sink + RunChains(iterations);
    const int64_t elapsed_ns = std::max<int64_t>(NowNs() - start, 1);
    const double gflops =
        kFlopsPerIteration * static_cast<double>(iterations) / static_cast<double>(elapsed_ns);
    best_gflops = std::max(best_gflops, gflops);
  } while (NowNs() < end);
  return FmaPeak{best_gflops, kIsa, kChains};
}

}  // namespace parlab
