#pragma once
// A heap buffer aligned to 64 bytes (a cache line, and what AVX-512 loads
// like), zero-filled so every page is faulted in before anything is timed.
// Move-only; owns its memory. Not synchronised: one owner at a time.

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "shared/bytes.h"

namespace parlab {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes) : size_(bytes) {
    if (bytes == 0) return;
    const size_t rounded = (bytes + 63) / 64 * 64;
    data_.reset(static_cast<std::byte*>(std::aligned_alloc(64, rounded)));
    if (data_ == nullptr) throw std::bad_alloc();
    std::memset(data_.get(), 0, rounded);
  }

  std::byte* data() { return data_.get(); }
  const std::byte* data() const { return data_.get(); }
  size_t size() const { return size_; }
  MutableBytes mutable_bytes() { return {data_.get(), size_}; }
  ConstBytes const_bytes() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  size_t size_ = 0;
};

}  // namespace parlab
