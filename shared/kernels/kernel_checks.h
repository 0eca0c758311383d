#pragma once
// Parameter checks shared by the built-in kernels, so that every message reads
// the same way and names its kernel and field: "matmul: n must be 1..20000, got 0".
// Pure functions; safe from any thread.

#include <cstdint>
#include <string_view>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

// No kernel call may need more memory than this (input + output + scratch):
// beyond it a typo in a size, not a wish, is the likelier story.
inline constexpr double kMaxKernelBytes = 64.0 * 1024 * 1024 * 1024;

// OK when min <= value <= max; otherwise "<kernel>: <field> must be min..max, got value".
Status CheckRange(std::string_view kernel, std::string_view field, int64_t value, int64_t min,
                  int64_t max);

// Refuses a call whose memory would exceed kMaxKernelBytes. `bytes` is a double
// so that callers can add sizes that would overflow size_t before checking them.
// `what` describes the size ("n=100000").
Status CheckMemory(std::string_view kernel, std::string_view what, double bytes);

// Caller bugs, not user errors, so they abort with the reason (PARLAB_CHECK)
// instead of writing past a buffer: params that do not validate, or buffers
// smaller than InputBytes()/OutputBytes(). For FillInput() and Run().
void CheckInputBuffer(const Kernel& kernel, const KernelParams& params, MutableBytes input);
void CheckRunBuffers(const Kernel& kernel, const KernelParams& params, ConstBytes input,
                     MutableBytes output);

}  // namespace parlab
