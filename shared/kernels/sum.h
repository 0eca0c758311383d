#pragma once
// sum: the sum of an n×n double matrix (the notebook's `A.sum()`, n = 2000).
// Memory-bound and single-threaded like NumPy's reduction. Releases the global lock.

#include "shared/kernels/kernel.h"

namespace parlab {

class SumKernel final : public Kernel {
 public:
  std::string_view name() const override { return "sum"; }
  std::string_view description() const override { return "sum of an n×n double matrix"; }
  KernelParams Defaults() const override;
  // n must be 1..100000 and 8·n² bytes at most 64 GiB.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = the sum; flops = n²; bytes = 8·n².
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
};

}  // namespace parlab
