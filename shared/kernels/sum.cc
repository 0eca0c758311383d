#include "shared/kernels/sum.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/random.h"

namespace parlab {

KernelParams SumKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(2000);
  return params;
}

Status SumKernel::Validate(const KernelParams& params) const {
  PARLAB_RETURN_IF_ERROR(CheckRange(name(), "n", params.n(), 1, 100'000));
  const auto n = static_cast<double>(params.n());
  return CheckMemory(name(), "n=" + std::to_string(params.n()), 8 * n * n);
}

size_t SumKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  const auto n = static_cast<size_t>(params.n());
  return n * n * sizeof(double);
}

void SumKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  FillUniform(params.seed(), 0, ArrayAt<double>(input, 0),
              static_cast<size_t>(params.n() * params.n()));
}

KernelResult SumKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                            const KernelContext& /*context*/) const {
  CheckRunBuffers(*this, params, input, output);
  const Eigen::Index count = params.n() * params.n();
  ConstVectorMap a(ArrayAt<double>(input, 0), count);
  const auto nn = static_cast<double>(count);
  KernelResult result;
  result.checksum = a.sum();
  result.flops = nn;
  result.bytes = 8 * nn;
  return result;
}

}  // namespace parlab
