#include "shared/kernels/square_matrix.h"

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/random.h"

namespace parlab {

size_t SquareMatrixBytes(const KernelParams& params) {
  const auto n = static_cast<size_t>(params.n());
  return n * n * sizeof(double);
}

void FillSquareMatrix(const KernelParams& params, MutableBytes input, double diagonal) {
  const auto n = static_cast<size_t>(params.n());
  double* a = ArrayAt<double>(input, 0);
  FillUniform(params.seed(), 0, a, n * n);
  if (diagonal != 0) {
    for (size_t i = 0; i < n; ++i) a[i * n + i] += diagonal;
  }
}

}  // namespace parlab
