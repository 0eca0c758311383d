#include "shared/kernels/omp_threads.h"

#include <omp.h>

namespace parlab {

#ifdef PARLAB_EIGEN_USE_BLAS
// Under EIGEN_USE_BLAS, Eigen hands GEMM to OpenBLAS and does no OpenMP
// splitting of its own; Debian's pthreads OpenBLAS ignores OpenMP's count,
// so the count must also reach OpenBLAS. Its setting is process-wide: fine
// for blas and hybrid (one task at a time per process); in threads mode
// every pool thread asks for 1.
extern "C" void openblas_set_num_threads(int num_threads);
#endif

int KernelThreads(int threads) {
  if (threads < 1) return 1;
  return threads > kMaxKernelThreads ? kMaxKernelThreads : threads;
}

void SetOpenMpThreads(int threads) {
  const int count = KernelThreads(threads);
  omp_set_num_threads(count);
#ifdef PARLAB_EIGEN_USE_BLAS
  openblas_set_num_threads(count);
#endif
}

int OpenMpThreads() { return omp_get_max_threads(); }

}  // namespace parlab
