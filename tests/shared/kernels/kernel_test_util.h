#pragma once
// Helpers for the kernel tests: run a kernel on 64-byte aligned heap buffers
// filled from its seed, count global-lock checkpoints, compare doubles.
// References in these tests are plain loops, never Eigen: an Eigen product
// instantiated here without -fopenmp could be the copy the linker keeps for
// the kernels too (same mangled name), silently making them single-threaded.

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "shared/kernels/kernel.h"

namespace parlab::testing {

class AlignedBytes {
 public:
  explicit AlignedBytes(size_t bytes) : size_(bytes) {
    // Never empty, so that data() is a valid pointer even for 0 bytes.
    const size_t rounded = (bytes + 63) / 64 * 64 + 64;
    data_.reset(static_cast<std::byte*>(std::aligned_alloc(64, rounded)));
    std::memset(data_.get(), 0, rounded);
  }
  void* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  size_t size_;
};

// One kernel with its params, input filled from the seed, and an output buffer.
class KernelRun {
 public:
  KernelRun(const Kernel& kernel, KernelParams params)
      : kernel_(kernel),
        params_(std::move(params)),
        input_(kernel.InputBytes(params_)),
        output_(kernel.OutputBytes(params_)) {
    kernel_.FillInput(params_, {input_.data(), input_.size()});
  }

  KernelResult Run(int threads = 1, GlobalLockHooks* lock = nullptr) {
    KernelContext context;
    context.threads = threads;
    context.lock = lock;
    return kernel_.Run(params_, {input_.data(), input_.size()}, {output_.data(), output_.size()},
                       context);
  }

  template <typename T>
  const T* input() const {
    return static_cast<const T*>(input_.data());
  }
  template <typename T>
  T* mutable_input() {
    return static_cast<T*>(input_.data());
  }
  template <typename T>
  const T* input_at(size_t offset) const {
    return reinterpret_cast<const T*>(static_cast<const std::byte*>(input_.data()) + offset);
  }
  template <typename T>
  std::vector<T> output() const {
    const T* data = static_cast<const T*>(output_.data());
    return std::vector<T>(data, data + output_.size() / sizeof(T));
  }
  const KernelParams& params() const { return params_; }

 private:
  const Kernel& kernel_;
  KernelParams params_;
  AlignedBytes input_;
  AlignedBytes output_;
};

class CountingLock final : public GlobalLockHooks {
 public:
  void Checkpoint() override { ++checkpoints; }
  int checkpoints = 0;
};

// |a - b| <= tolerance · max(1, |a|, |b|).
inline ::testing::AssertionResult Near(double a, double b, double tolerance) {
  const double scale = std::fmax(1.0, std::fmax(std::fabs(a), std::fabs(b)));
  if (std::fabs(a - b) <= tolerance * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << b << " (tolerance " << tolerance << ")";
}

// Element-wise Near over two arrays of equal length.
template <typename T>
::testing::AssertionResult AllNear(const std::vector<T>& a, const std::vector<T>& b,
                                   double tolerance) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure() << "sizes " << a.size() << " vs " << b.size();
  }
  for (size_t i = 0; i < a.size(); ++i) {
    ::testing::AssertionResult near = Near(a[i], b[i], tolerance);
    if (!near) return near << " at index " << i;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace parlab::testing
