#include "shared/kernels/noop.h"

namespace parlab {

KernelParams NoopKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  return params;
}

Status NoopKernel::Validate(const KernelParams& /*params*/) const { return Status::Ok(); }

KernelResult NoopKernel::Run(const KernelParams& /*params*/, ConstBytes /*input*/,
                             MutableBytes /*output*/, const KernelContext& /*context*/) const {
  return KernelResult{};
}

}  // namespace parlab
