#pragma once
// Views of caller-owned memory: what a kernel reads and writes, what a buffer
// hands out. Plain pointer + size; valid while the owner keeps the memory.
// No synchronisation: the owner decides who touches the bytes when.

#include <cstddef>

namespace parlab {

struct MutableBytes {
  void* data = nullptr;
  size_t size = 0;
};
struct ConstBytes {
  const void* data = nullptr;
  size_t size = 0;
};

}  // namespace parlab
