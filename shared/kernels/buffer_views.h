#pragma once
// Typed views of the caller's input and output bytes. Kernels lay out several
// arrays in one buffer (matmul's A then B); each starts on a 64-byte boundary
// so that Eigen may map it as Aligned64. The views own nothing.

#include <cstddef>

#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel.h"

namespace parlab {

inline constexpr size_t kBufferAlignment = 64;

inline constexpr size_t AlignUp64(size_t bytes) {
  return (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

template <typename T>
const T* ArrayAt(ConstBytes bytes, size_t offset) {
  return reinterpret_cast<const T*>(static_cast<const std::byte*>(bytes.data) + offset);
}
template <typename T>
T* ArrayAt(MutableBytes bytes, size_t offset) {
  return reinterpret_cast<T*>(static_cast<std::byte*>(bytes.data) + offset);
}

// Column-major maps over buffer memory (Run's precondition: 64-byte aligned).
using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXd, Eigen::Aligned64>;
using MatrixMap = Eigen::Map<Eigen::MatrixXd, Eigen::Aligned64>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXd, Eigen::Aligned64>;
using VectorMap = Eigen::Map<Eigen::VectorXd, Eigen::Aligned64>;

}  // namespace parlab
