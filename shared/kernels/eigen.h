#pragma once
// Eigen for the kernels: the one way a kernel includes Eigen (Core and the
// decompositions the kernels use), instead of any <Eigen/...> header of its
// own. The intrinsics come first, through shared/intrinsics.h, which says why.

// The order matters here, and clang-format would sort it:
// clang-format off
#include "shared/intrinsics.h"  // first: Eigen includes them too
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/SVD>
// clang-format on
