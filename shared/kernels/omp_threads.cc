#include "shared/kernels/omp_threads.h"

#include <omp.h>

namespace parlab {

void SetOpenMpThreads(int threads) { omp_set_num_threads(threads < 1 ? 1 : threads); }

int OpenMpThreads() { return omp_get_max_threads(); }

}  // namespace parlab
