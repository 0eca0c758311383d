#pragma once
// Straightforward linear algebra for the tests' references: small, slow and
// obviously right. Column-major n×n matrices in std::vector<double>.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

namespace parlab::testing {

// C = A·B for column-major n×n matrices: the triple loop.
inline std::vector<double> NaiveMatmul(const double* a, const double* b, size_t n) {
  std::vector<double> c(n * n, 0.0);
  for (size_t j = 0; j < n; ++j) {
    for (size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (size_t l = 0; l < n; ++l) sum += a[l * n + i] * b[j * n + l];
      c[j * n + i] = sum;
    }
  }
  return c;
}

struct SymmetricEigen {
  std::vector<double> values;   // largest first
  std::vector<double> vectors;  // column-major n×n, column i belongs to values[i]
};

// Cyclic Jacobi rotations (Golub & Van Loan §8.5) on a symmetric n×n matrix.
inline SymmetricEigen JacobiEigen(std::vector<double> a, size_t n) {
  std::vector<double> v(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) v[i * n + i] = 1;
  auto at = [n](std::vector<double>& m, size_t i, size_t j) -> double& { return m[j * n + i]; };
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (size_t p = 0; p < n; ++p)
      for (size_t q = p + 1; q < n; ++q) off += at(a, p, q) * at(a, p, q);
    if (off < 1e-30) break;
    for (size_t p = 0; p < n; ++p) {
      for (size_t q = p + 1; q < n; ++q) {
        if (std::fabs(at(a, p, q)) < 1e-300) continue;
        const double theta = (at(a, q, q) - at(a, p, p)) / (2 * at(a, p, q));
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1);
        const double s = t * c;
        for (size_t k = 0; k < n; ++k) {  // A = A·J
          const double akp = at(a, k, p), akq = at(a, k, q);
          at(a, k, p) = c * akp - s * akq;
          at(a, k, q) = s * akp + c * akq;
        }
        for (size_t k = 0; k < n; ++k) {  // A = Jᵀ·A
          const double apk = at(a, p, k), aqk = at(a, q, k);
          at(a, p, k) = c * apk - s * aqk;
          at(a, q, k) = s * apk + c * aqk;
        }
        for (size_t k = 0; k < n; ++k) {  // V = V·J
          const double vkp = at(v, k, p), vkq = at(v, k, q);
          at(v, k, p) = c * vkp - s * vkq;
          at(v, k, q) = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t x, size_t y) { return at(a, x, x) > at(a, y, y); });
  SymmetricEigen result;
  result.vectors.resize(n * n);
  for (size_t i = 0; i < n; ++i) {
    result.values.push_back(at(a, order[i], order[i]));
    std::copy_n(&v[order[i] * n], n, &result.vectors[i * n]);
  }
  return result;
}

}  // namespace parlab::testing
