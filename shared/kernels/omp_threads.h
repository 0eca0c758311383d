#pragma once
// The one place that sets how many OpenMP threads a kernel call may use.
// omp_set_num_threads() changes only the calling thread's ICV, so worker
// threads that run kernels side by side do not disturb each other — unlike
// Eigen::setNbThreads(), a process-wide global that would race between them.
// Eigen's GEMM asks omp_get_max_threads() on every product, so this is what
// it obeys.

namespace parlab {

// The most threads one kernel call uses, whatever it is asked: a task's
// thread count arrives from another process (TaskSpec.threads), and an
// unbounded one would have libgomp try to create billions of threads.
// The same limit as the CLI's --threads (coordinator/runtime/job_spec.h kMaxThreads).
inline constexpr int kMaxKernelThreads = 256;

// threads clamped to 1..kMaxKernelThreads.
int KernelThreads(int threads);

// Sets the calling thread's OpenMP thread count to KernelThreads(threads) (and
// OpenBLAS's, process-wide, in a -DPARLAB_EIGEN_USE_BLAS build).
void SetOpenMpThreads(int threads);

// The calling thread's current OpenMP thread count (omp_get_max_threads()).
int OpenMpThreads();

}  // namespace parlab
