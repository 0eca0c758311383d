#pragma once
// noop: does nothing and returns checksum 0. Its run time is the pure cost of
// dispatching a task, which is what the overhead reports subtract.

#include "shared/kernels/kernel.h"

namespace parlab {

class NoopKernel final : public Kernel {
 public:
  std::string_view name() const override { return "noop"; }
  std::string_view description() const override { return "does nothing (dispatch overhead)"; }
  KernelParams Defaults() const override;
  Status Validate(const KernelParams& params) const override;
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
};

}  // namespace parlab
