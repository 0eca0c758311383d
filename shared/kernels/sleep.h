#pragma once
// sleep: waits `ms` milliseconds doing no work, like blocking I/O. It releases
// the global lock, so in gil mode sleeping tasks overlap as they do in CPython.

#include "shared/kernels/kernel.h"

namespace parlab {

class SleepKernel final : public Kernel {
 public:
  std::string_view name() const override { return "sleep"; }
  std::string_view description() const override { return "waits ms milliseconds (I/O-like)"; }
  KernelParams Defaults() const override;
  // ms must be 0..3600000 (an hour).
  Status Validate(const KernelParams& params) const override;
  // checksum = ms.
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
};

}  // namespace parlab
