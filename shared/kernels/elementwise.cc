#include "shared/kernels/elementwise.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/random.h"

namespace parlab {
namespace {

size_t MatrixBytes(const KernelParams& params) {
  const auto n = static_cast<size_t>(params.n());
  return n * n * sizeof(double);
}

// Summing all of C would read it back and add a third to the memory traffic
// this kernel exists to measure, so the checksum samples ~1024 entries at a
// prime stride: cheap, deterministic, and wrong whenever C is broadly wrong.
double SampledSum(const double* c, size_t count) {
  const size_t stride = count / 1024 + 1;
  double sum = 0;
  for (size_t i = 0; i < count; i += stride) sum += c[i];
  return sum + c[count - 1];
}

}  // namespace

KernelParams ElementwiseKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(2000);
  return params;
}

Status ElementwiseKernel::Validate(const KernelParams& params) const {
  PARLAB_RETURN_IF_ERROR(CheckRange(name(), "n", params.n(), 1, 100'000));
  const auto n = static_cast<double>(params.n());
  return CheckMemory(name(), "n=" + std::to_string(params.n()), 3 * 8 * n * n);
}

size_t ElementwiseKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return AlignUp64(MatrixBytes(params)) + MatrixBytes(params);
}

size_t ElementwiseKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return MatrixBytes(params);
}

void ElementwiseKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  const auto count = static_cast<size_t>(params.n() * params.n());
  FillUniform(params.seed(), 0, ArrayAt<double>(input, 0), count);
  FillUniform(params.seed(), 1, ArrayAt<double>(input, AlignUp64(MatrixBytes(params))), count);
}

KernelResult ElementwiseKernel::Run(const KernelParams& params, ConstBytes input,
                                    MutableBytes output, const KernelContext& /*context*/) const {
  CheckRunBuffers(*this, params, input, output);
  const Eigen::Index count = params.n() * params.n();
  ConstVectorMap a(ArrayAt<double>(input, 0), count);
  ConstVectorMap b(ArrayAt<double>(input, AlignUp64(MatrixBytes(params))), count);
  VectorMap c(ArrayAt<double>(output, 0), count);
  c.array() = a.array() * b.array();

  const auto nn = static_cast<double>(count);
  KernelResult result;
  result.checksum = SampledSum(c.data(), static_cast<size_t>(count));
  result.flops = nn;
  result.bytes = 3 * 8 * nn;
  return result;
}

}  // namespace parlab
