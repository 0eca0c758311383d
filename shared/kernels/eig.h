#pragma once
// eig: the eigenvalues of a general (nonsymmetric) n×n double matrix
// (numpy.linalg.eigvals; n = 500) by Eigen's EigenSolver, values only.
// General rather than SelfAdjointEigenSolver because the notebook feeds
// numpy.linalg.eig a random matrix: Hessenberg reduction plus Francis QR is
// the work it measures, several times that of the symmetric case. Output: n
// complex values as (re, im) pairs of doubles, in the solver's order.
// Releases the global lock. UsesThreads() is true, as for LAPACK's dgeev
// (NumPy's path), whose blocked Hessenberg reduction is GEMM-rich; but
// Eigen's HessenbergDecomposition and RealSchur are unblocked (matrix-vector
// work, which Eigen does not parallelise), so here extra threads buy little
// or nothing.

#include "shared/kernels/kernel.h"

namespace parlab {

class EigKernel final : public Kernel {
 public:
  std::string_view name() const override { return "eig"; }
  std::string_view description() const override {
    return "eigenvalues of a general n×n matrix (Eigen EigenSolver)";
  }
  KernelParams Defaults() const override;
  // n must be 1..10000.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of |λ| (independent of order); flops = 10n³ (see the .cc).
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
