#include "shared/kernels/spin.h"

#include <algorithm>
#include <cmath>

#include "shared/clock.h"
#include "shared/kernels/kernel_checks.h"

namespace parlab {
namespace {

// One step is an LCG update: a multiply-add dependency chain of fixed latency
// (~4 cycles), which the empty asm keeps the compiler from folding, skipping
// or vectorising.
inline uint64_t SpinSteps(uint64_t state, uint64_t steps) {
  for (uint64_t i = 0; i < steps; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    asm volatile("" : "+r"(state));
  }
  return state;
}

double Calibrate() {
  // Best of several ~1 ms runs: a run that was preempted is only slower, so the
  // fastest is the machine's true rate.
  constexpr uint64_t kSteps = 1 << 18;
  constexpr int kRuns = 7;
  SpinSteps(1, kSteps);  // warm up: the core's clock ramps up, the code is paged in
  int64_t best_ns = 0;
  uint64_t sink = 1;
  for (int run = 0; run < kRuns; ++run) {
    const int64_t start = NowNs();
    sink = SpinSteps(sink, kSteps);
    const int64_t elapsed = NowNs() - start;
    if (run == 0 || elapsed < best_ns) best_ns = elapsed;
  }
  asm volatile("" : : "r"(sink));
  return static_cast<double>(kSteps) / (static_cast<double>(std::max<int64_t>(best_ns, 1)) / 1e3);
}

}  // namespace

double SpinIterationsPerUs() {
  static const double rate = Calibrate();  // magic static: initialised once, thread-safe
  return rate;
}

uint64_t SpinIterations(uint64_t iterations, uint64_t checkpoint_every,
                        const KernelContext& context) {
  uint64_t state = iterations;
  uint64_t done = 0;
  while (done < iterations) {
    const uint64_t steps = std::min(checkpoint_every, iterations - done);
    state = SpinSteps(state, steps);
    done += steps;
    context.Checkpoint();
  }
  return state;
}

KernelParams SpinKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_us(1000);
  return params;
}

Status SpinKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "us", params.us(), 0, 600'000'000);
}

KernelResult SpinKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                             const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  const double rate = SpinIterationsPerUs();
  const auto iterations =
      static_cast<uint64_t>(std::llround(static_cast<double>(params.us()) * rate));
  const auto every = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(50.0 * rate)));
  const uint64_t state = SpinIterations(iterations, every, context);
  asm volatile("" : : "r"(state));
  KernelResult result;
  result.checksum = static_cast<double>(params.us());
  return result;
}

}  // namespace parlab
