#include "shared/kernels/svd.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/square_matrix.h"

namespace parlab {

KernelParams SvdKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(500);
  return params;
}

Status SvdKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "n", params.n(), 1, 10'000);
}

size_t SvdKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return SquareMatrixBytes(params);
}

size_t SvdKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return static_cast<size_t>(params.n()) * sizeof(double);
}

void SvdKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  FillSquareMatrix(params, input, 0);
}

KernelResult SvdKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                            const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  SetOpenMpThreads(context.threads);
  const Eigen::Index n = params.n();
  ConstMatrixMap a(ArrayAt<double>(input, 0), n, n);
  // Options 0: neither U nor V, only the values.
  Eigen::BDCSVD<Eigen::MatrixXd> svd(a, 0);
  VectorMap values(ArrayAt<double>(output, 0), n);
  values = svd.singularValues();

  const auto nd = static_cast<double>(n);
  KernelResult result;
  result.checksum = values.sum();
  // Golub & Van Loan, Matrix Computations (4th ed.), §8.6.3 table: singular
  // values only of an m×n matrix cost 4mn² − 4n³/3 (the bidiagonalisation;
  // the bidiagonal step is O(n²)); m = n gives 8n³/3.
  result.flops = 8 * nd * nd * nd / 3;
  result.bytes = 8 * nd * nd + 8 * nd;
  return result;
}

}  // namespace parlab
