#pragma once
// elementwise: C = A∘B (the notebook's `A * B`), n×n doubles (n = 2000).
// Memory-bound and single-threaded, as NumPy's elementwise ufuncs are: the
// notebook's point is that BLAS threads do not help here. Input A then B
// (64-byte aligned), output C. Releases the global lock.

#include "shared/kernels/kernel.h"

namespace parlab {

class ElementwiseKernel final : public Kernel {
 public:
  std::string_view name() const override { return "elementwise"; }
  std::string_view description() const override { return "C = A∘B, n×n doubles (memory-bound)"; }
  KernelParams Defaults() const override;
  // n must be 1..100000 and 24·n² bytes at most 64 GiB.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of a fixed sample of C (see the .cc); flops = n²; bytes = 3·8·n².
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
};

}  // namespace parlab
