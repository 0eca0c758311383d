#include "shared/kernels/eig.h"

#include <complex>

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/square_matrix.h"

namespace parlab {

KernelParams EigKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(500);
  return params;
}

Status EigKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "n", params.n(), 1, 10'000);
}

size_t EigKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return SquareMatrixBytes(params);
}

size_t EigKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return static_cast<size_t>(params.n()) * 2 * sizeof(double);
}

void EigKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  FillSquareMatrix(params, input, 0);
}

KernelResult EigKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                            const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  SetOpenMpThreads(context.threads);
  const Eigen::Index n = params.n();
  ConstMatrixMap a(ArrayAt<double>(input, 0), n, n);
  const Eigen::EigenSolver<Eigen::MatrixXd> solver(a, /*computeEigenvectors=*/false);
  const Eigen::VectorXcd& values = solver.eigenvalues();
  double* out = ArrayAt<double>(output, 0);
  double checksum = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    out[2 * i] = values[i].real();
    out[2 * i + 1] = values[i].imag();
    checksum += std::abs(values[i]);
  }

  const auto nd = static_cast<double>(n);
  KernelResult result;
  result.checksum = checksum;
  // Golub & Van Loan, Matrix Computations (4th ed.), §7.5.6: the eigenvalues
  // alone (real Schur form T, no Q) by Hessenberg reduction and the Francis
  // QR iteration take about 10n³ flops.
  result.flops = 10 * nd * nd * nd;
  result.bytes = 8 * nd * nd + 16 * nd;
  return result;
}

}  // namespace parlab
