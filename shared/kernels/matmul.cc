#include "shared/kernels/matmul.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/random.h"

namespace parlab {
namespace {

size_t MatrixBytes(const KernelParams& params) {
  const auto n = static_cast<size_t>(params.n());
  return n * n * sizeof(double);
}

}  // namespace

KernelParams MatmulKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(1000);
  return params;
}

Status MatmulKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "n", params.n(), 1, 20'000);
}

size_t MatmulKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return AlignUp64(MatrixBytes(params)) + MatrixBytes(params);
}

size_t MatmulKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return MatrixBytes(params);
}

void MatmulKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  const auto count = static_cast<size_t>(params.n() * params.n());
  FillUniform(params.seed(), 0, ArrayAt<double>(input, 0), count);
  FillUniform(params.seed(), 1, ArrayAt<double>(input, AlignUp64(MatrixBytes(params))), count);
}

KernelResult MatmulKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                               const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  SetOpenMpThreads(context.threads);
  const Eigen::Index n = params.n();
  ConstMatrixMap a(ArrayAt<double>(input, 0), n, n);
  ConstMatrixMap b(ArrayAt<double>(input, AlignUp64(MatrixBytes(params))), n, n);
  MatrixMap c(ArrayAt<double>(output, 0), n, n);
  c.noalias() = a * b;

  const auto nd = static_cast<double>(n);
  KernelResult result;
  result.checksum = c.sum();
  result.flops = 2 * nd * nd * nd;
  result.bytes = 3 * 8 * nd * nd;
  return result;
}

}  // namespace parlab
