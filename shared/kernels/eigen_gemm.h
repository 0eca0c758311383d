#pragma once
// Eigen's own GEMM, whatever the build's back-end. By default parlab builds
// Eigen with EIGEN_USE_BLAS (OpenBLAS runs every matrix product: it reaches
// 0.9–1.0 of the best OpenBLAS where Eigen's own kernels reach 0.5–0.9), yet
// `parlab bench gemm` and the tour still show what Eigen alone does, so
// eigen_gemm.cc compiles Eigen without EIGEN_USE_BLAS and in a namespace of
// its own (see there). Safe from any thread; the thread count is the calling
// thread's (omp_threads.h).

#include <cstdint>

namespace parlab {

// C = A·B for n×n column-major doubles (C must not overlap A or B), on up to
// `threads` OpenMP threads of Eigen's own blocked GEMM. n >= 1.
void EigenOwnGemm(int64_t n, const double* a, const double* b, double* c, int threads);

// "Eigen 3.4.0's own GEMM (OpenMP threads)".
const char* EigenOwnGemmName();

}  // namespace parlab
