#pragma once
// svd: the singular values of an n×n double matrix (numpy.linalg.svd with
// compute_uv=False; n = 500) by Eigen's BDCSVD, values only. Output: the n
// values, largest first. Releases the global lock; uses context.threads
// OpenMP threads (in the GEMM-based bidiagonalisation).

#include "shared/kernels/kernel.h"

namespace parlab {

class SvdKernel final : public Kernel {
 public:
  std::string_view name() const override { return "svd"; }
  std::string_view description() const override {
    return "singular values of an n×n matrix (Eigen BDCSVD)";
  }
  KernelParams Defaults() const override;
  // n must be 1..10000.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of the singular values; flops = 8n³/3 (see the .cc).
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
