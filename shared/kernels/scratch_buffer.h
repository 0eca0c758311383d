#pragma once
// Scratch memory for one kernel on one thread: a 64-byte-aligned buffer that
// grows to the largest size asked for and is then kept, so that repeated calls
// (the steady state of a benchmark) neither allocate nor fault pages in.
// Meant to be thread_local inside a kernel's .cc; not synchronised. Growing
// does not keep the old contents.

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace parlab {

class ScratchBuffer {
 public:
  // Room for `count` values of T, valid until the next Get() on this buffer.
  template <typename T>
  T* Get(size_t count) {
    Reserve(count * sizeof(T));
    return reinterpret_cast<T*>(data_.get());
  }

  size_t capacity() const { return capacity_; }

 private:
  void Reserve(size_t bytes) {
    if (bytes <= capacity_) return;
    const size_t rounded = (bytes + 63) / 64 * 64;
    data_.reset(static_cast<std::byte*>(std::aligned_alloc(64, rounded)));
    if (data_ == nullptr) {
      capacity_ = 0;
      throw std::bad_alloc();
    }
    capacity_ = rounded;
  }

  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  size_t capacity_ = 0;
};

}  // namespace parlab
