#pragma once
// inv: the inverse of an n×n double matrix (numpy.linalg.inv; n = 1000) by
// Eigen's PartialPivLU. The input is uniform [-1, 1) plus n·I — strictly
// diagonally dominant, so well conditioned and never singular. Output: A⁻¹.
// Releases the global lock; uses context.threads OpenMP threads.

#include "shared/kernels/kernel.h"

namespace parlab {

class InvKernel final : public Kernel {
 public:
  std::string_view name() const override { return "inv"; }
  std::string_view description() const override {
    return "inverse of an n×n matrix (Eigen PartialPivLU)";
  }
  KernelParams Defaults() const override;
  // n must be 1..20000.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of A⁻¹'s entries; flops = 2n³ (see the .cc).
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
