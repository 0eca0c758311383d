#include "shared/kernels/inv.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/square_matrix.h"

namespace parlab {

KernelParams InvKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(1000);
  return params;
}

Status InvKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "n", params.n(), 1, 20'000);
}

size_t InvKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return SquareMatrixBytes(params);
}

size_t InvKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return SquareMatrixBytes(params);
}

void InvKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  FillSquareMatrix(params, input, static_cast<double>(params.n()));
}

KernelResult InvKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                            const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  SetOpenMpThreads(context.threads);
  const Eigen::Index n = params.n();
  ConstMatrixMap a(ArrayAt<double>(input, 0), n, n);
  MatrixMap inverse(ArrayAt<double>(output, 0), n, n);
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  inverse = lu.inverse();

  const auto nd = static_cast<double>(n);
  KernelResult result;
  result.checksum = inverse.sum();
  // LU 2n³/3 plus n solves against the identity's columns 4n³/3 (Golub & Van
  // Loan §3.2 and §3.1; LAPACK's getri saves the identity's zeros and also
  // does 2n³ in all): 2n³.
  result.flops = 2 * nd * nd * nd;
  result.bytes = 2 * 8 * nd * nd;
  return result;
}

}  // namespace parlab
