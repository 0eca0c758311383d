// Eigen's own GEMM in a binary whose other files may build Eigen with
// EIGEN_USE_BLAS. EIGEN_USE_BLAS replaces Eigen's product templates by
// specialisations that call dgemm; the same template instantiated here
// without it would be a second, different definition of the very same symbol,
// and the linker would keep one of the two at random (an ODR violation). So
// this file renames Eigen's namespace before including it: every Eigen symbol
// here is `parlab_eigen_own::...`, apart from the rest of the program. Nothing
// Eigen crosses this file's interface (raw pointers only).
#undef EIGEN_USE_BLAS
#define Eigen parlab_eigen_own
// clang-format off
#include "shared/kernels/eigen_gemm.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/omp_threads.h"
// clang-format on

#include <string>

namespace parlab {

void EigenOwnGemm(int64_t n, const double* a, const double* b, double* c, int threads) {
  SetOpenMpThreads(threads);
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  const Eigen::Map<const Matrix> a_map(a, n, n);
  const Eigen::Map<const Matrix> b_map(b, n, n);
  Eigen::Map<Matrix> c_map(c, n, n);
  c_map.noalias() = a_map * b_map;
}

const char* EigenOwnGemmName() {
  static const std::string name =
      "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
      "." + std::to_string(EIGEN_MINOR_VERSION) + "'s own GEMM (OpenMP threads)";
  return name.c_str();
}

}  // namespace parlab
