#pragma once
// pca: principal component analysis of a rows×cols double matrix X (default
// 1000×100 → k = 10), in the notebook's four steps, each timed as a stage:
//   "normalise"   columns to mean 0 and standard deviation 1 (population std;
//                 a constant column stays 0),
//   "covariance"  C = XᵀX / rows (cols×cols),
//   "svd"         C = U·Σ·Vᵀ (C is symmetric, so V holds its eigenvectors),
//   "projection"  P = X·V[:, :k], written to the output (rows×k, column-major).
// Each component's sign is fixed so that its largest entry is positive (as
// scikit-learn's svd_flip does), so P is deterministic.
// The input is read-only; X is normalised in a thread_local scratch copy that
// is kept between calls. Releases the global lock; uses context.threads
// OpenMP threads in the covariance and projection GEMMs.

#include "shared/kernels/kernel.h"

namespace parlab {

class PcaKernel final : public Kernel {
 public:
  std::string_view name() const override { return "pca"; }
  std::string_view description() const override {
    return "PCA: normalise, covariance, SVD, projection (rows×cols → k)";
  }
  KernelParams Defaults() const override;
  // rows must be 2..10^7, cols 1..10000, k 1..cols, memory at most 64 GiB.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of |P|; flops and stages as in the .cc.
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
