#pragma once
// loop: the notebook's pure-Python loop `total = 0; for i in range(n): total += i*i`,
// natively (~1 cycle an iteration). Unsigned 64-bit arithmetic wraps around,
// so the total is sum(i*i) mod 2^64. Holds the global lock and calls
// context.Checkpoint() every 65536 iterations (~20 µs), as CPython's eval loop
// checks its drop request between bytecodes.

#include <cstdint>

#include "shared/kernels/kernel.h"

namespace parlab {

class LoopKernel final : public Kernel {
 public:
  std::string_view name() const override { return "loop"; }
  std::string_view description() const override {
    return "the notebook's `total += i*i` loop (n = 5,000,000)";
  }
  KernelParams Defaults() const override;
  // n must be 0..10^12.
  Status Validate(const KernelParams& params) const override;
  // checksum = LoopChecksum(total).
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
};

inline constexpr uint64_t kLoopCheckpointEvery = 65536;

// The loop itself: sum of i*i for i in [0, n), mod 2^64.
uint64_t LoopTotal(uint64_t n, const KernelContext& context);

// A double holds 53 bits exactly, so the 64-bit total is folded into 53 (the
// low 53 bits xor the top 11) rather than rounded: exact, and every bit counts.
constexpr double LoopChecksum(uint64_t total) {
  return static_cast<double>((total ^ (total >> 53)) & ((uint64_t{1} << 53) - 1));
}

}  // namespace parlab
