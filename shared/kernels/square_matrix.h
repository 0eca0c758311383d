#pragma once
// What svd, inv and eig share: one n×n double input matrix at offset 0 of the
// input buffer, filled from the seed. Internal to the kernels.

#include <cstddef>

#include "shared/kernels/kernel.h"

namespace parlab {

// Bytes of one n×n double matrix (params.n() must be valid).
size_t SquareMatrixBytes(const KernelParams& params);

// Fills the n×n matrix with uniform [-1, 1) values, then adds `diagonal` to
// each diagonal entry (inv uses n to make the matrix well conditioned).
void FillSquareMatrix(const KernelParams& params, MutableBytes input, double diagonal);

}  // namespace parlab
