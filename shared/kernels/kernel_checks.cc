#include "shared/kernels/kernel_checks.h"

#include <cstdio>
#include <string>

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

}  // namespace parlab
