#pragma once
// spin: keeps a core busy for `us` microseconds of *work*. The amount of work
// is fixed when the call starts (us × a once-per-process calibration of
// iterations per µs), never decided by reading the clock, so that a thread
// that loses the global lock half-way still does all of its work afterwards
// — the task takes longer, exactly as a CPU-bound Python function does under
// the GIL. Holds the global lock and calls context.Checkpoint() about every
// 50 µs of work.

#include <cstdint>

#include "shared/kernels/kernel.h"

namespace parlab {

class SpinKernel final : public Kernel {
 public:
  std::string_view name() const override { return "spin"; }
  std::string_view description() const override {
    return "busy for us microseconds of calibrated work";
  }
  KernelParams Defaults() const override;
  // us must be 0..600000000 (ten minutes).
  Status Validate(const KernelParams& params) const override;
  // checksum = us: the iteration count depends on this process's calibration,
  // so the work's own result would differ between processes.
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
};

// Iterations of the spin loop per microsecond on this machine, measured once
// per process on first use (~10 ms; thread-safe).
double SpinIterationsPerUs();

// Runs `iterations` steps of the spin loop, calling context.Checkpoint() every
// `checkpoint_every` steps (>= 1); returns the loop's state so nothing is elided.
uint64_t SpinIterations(uint64_t iterations, uint64_t checkpoint_every,
                        const KernelContext& context);

}  // namespace parlab
