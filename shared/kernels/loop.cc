#include "shared/kernels/loop.h"

#include <algorithm>

#include "shared/kernels/kernel_checks.h"

namespace parlab {

uint64_t LoopTotal(uint64_t n, const KernelContext& context) {
  uint64_t total = 0;
  uint64_t i = 0;
  while (i < n) {
    const uint64_t end = std::min(n, i + kLoopCheckpointEvery);
    for (; i < end; ++i) {
      // The empty asm claims to change `i`, so the compiler can neither replace
      // the loop by the closed form n(n-1)(2n-1)/6 nor vectorise it: each
      // iteration stays one multiply and one add, as the Python loop does
      // one iteration at a time.
      asm volatile("" : "+r"(i));
      total += i * i;
    }
    context.Checkpoint();
  }
  return total;
}

KernelParams LoopKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_n(5'000'000);
  return params;
}

Status LoopKernel::Validate(const KernelParams& params) const {
  return CheckRange(name(), "n", params.n(), 0, 1'000'000'000'000);
}

KernelResult LoopKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                             const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  KernelResult result;
  result.checksum = LoopChecksum(LoopTotal(static_cast<uint64_t>(params.n()), context));
  return result;
}

}  // namespace parlab
