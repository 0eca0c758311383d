#pragma once
// matmul: C = A·B for n×n doubles (the notebook's `A @ B`, n = 1000), by
// Eigen's GEMM on maps of the caller's buffers — nothing is copied. Input:
// A then B, column-major, each 64-byte aligned; output: C. Releases the global
// lock and uses context.threads OpenMP threads, as NumPy's BLAS call does.

#include "shared/kernels/kernel.h"

namespace parlab {

class MatmulKernel final : public Kernel {
 public:
  std::string_view name() const override { return "matmul"; }
  std::string_view description() const override { return "C = A·B, n×n doubles (Eigen GEMM)"; }
  KernelParams Defaults() const override;
  // n must be 1..20000.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of C; flops = 2n³; bytes = 3·8·n².
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
