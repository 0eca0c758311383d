#include "shared/kernels/sleep.h"

#include <chrono>
#include <thread>

#include "shared/kernels/kernel_checks.h"

namespace parlab {

KernelParams SleepKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_ms(100);
  return params;
}

Status SleepKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "ms", params.ms(), 0, 3'600'000);
}

KernelResult SleepKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                              const KernelContext& /*context*/) const {
  CheckRunBuffers(*this, params, input, output);
  std::this_thread::sleep_for(std::chrono::milliseconds(params.ms()));
  KernelResult result;
  result.checksum = static_cast<double>(params.ms());
  return result;
}

}  // namespace parlab
