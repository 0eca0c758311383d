#include "shared/kernels/kernel_checks.h"

#include <cstdio>
#include <string>

#include "shared/check.h"

namespace parlab {

Status CheckRange(std::string_view kernel, std::string_view field, int64_t value, int64_t min,
                  int64_t max) {
  if (value >= min && value <= max) return Status::Ok();
  return InvalidArgument(std::string(kernel) + ": " + std::string(field) + " must be " +
                         std::to_string(min) + ".." + std::to_string(max) + ", got " +
                         std::to_string(value));
}

Status CheckMemory(std::string_view kernel, std::string_view what, double bytes) {
  if (bytes <= kMaxKernelBytes) return Status::Ok();
  char gib[32];
  std::snprintf(gib, sizeof(gib), "%.1f", bytes / (1024.0 * 1024 * 1024));
  return InvalidArgument(std::string(kernel) + ": " + std::string(what) + " needs " + gib +
                         " GiB of input, output and scratch memory, more than the 64 GiB "
                         "limit; use smaller sizes");
}

namespace {

void CheckValid(const Kernel& kernel, const KernelParams& params) {
  const Status status = kernel.Validate(params);
  PARLAB_CHECK(status.ok()) << kernel.name()
                            << ": called with params that do not validate: " << status.message();
}

}  // namespace

void CheckInputBuffer(const Kernel& kernel, const KernelParams& params, MutableBytes input) {
  CheckValid(kernel, params);
  PARLAB_CHECK(input.size >= kernel.InputBytes(params))
      << kernel.name() << ": input buffer of " << input.size << " bytes, needs "
      << kernel.InputBytes(params);
}

void CheckRunBuffers(const Kernel& kernel, const KernelParams& params, ConstBytes input,
                     MutableBytes output) {
  CheckValid(kernel, params);
  PARLAB_CHECK(input.size >= kernel.InputBytes(params))
      << kernel.name() << ": input buffer of " << input.size << " bytes, needs "
      << kernel.InputBytes(params);
  PARLAB_CHECK(output.size >= kernel.OutputBytes(params))
      << kernel.name() << ": output buffer of " << output.size << " bytes, needs "
      << kernel.OutputBytes(params);
}

}  // namespace parlab
