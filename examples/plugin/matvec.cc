// matvec: y = A·x for an n×n matrix A and a vector x made from the seed —
// a kernel of the memory-bound kind (each element of A read once per call).
// The whole of a parlab kernel plugin: <parlab/kernel.h>, one struct, one
// PARLAB_KERNEL. Eigen maps parlab's buffers in place; nothing is allocated.
#include <parlab/kernel.h>

#include <Eigen/Core>
#include <string>

namespace {

using parlab::plugin::Bytes;
using parlab::plugin::ConstBytes;
using parlab::plugin::Params;
using parlab::plugin::Result;

// parlab's buffers are 64-byte aligned, so the maps may say so.
using ConstMatrix = Eigen::Map<const Eigen::MatrixXd, Eigen::Aligned64>;
using ConstVector = Eigen::Map<const Eigen::VectorXd, Eigen::Aligned64>;
using Vector = Eigen::Map<Eigen::VectorXd, Eigen::Aligned64>;

size_t MatrixBytes(const Params& params) {
  const auto n = static_cast<size_t>(params.n);
  return n * n * sizeof(double);
}

struct MatVec : parlab::plugin::KernelDefaults {
  static constexpr const char* kName = "matvec";
  static constexpr const char* kDescription = "y = A·x, n×n doubles (Eigen)";

  static void Defaults(Params& params) { params.n = 1000; }

  static std::string Validate(const Params& params) {
    if (params.n < 1 || params.n > 20000) {
      return "n must be 1..20000, got " + std::to_string(params.n);
    }
    return "";
  }

  // A, then x on the next 64-byte boundary (n² doubles are a multiple of 64
  // bytes only for even n).
  static size_t XOffset(const Params& params) { return (MatrixBytes(params) + 63) / 64 * 64; }
  static size_t InputBytes(const Params& params) {
    return XOffset(params) + static_cast<size_t>(params.n) * sizeof(double);
  }
  static size_t OutputBytes(const Params& params) {
    return static_cast<size_t>(params.n) * sizeof(double);
  }

  // Deterministic from the seed, so every mode and every worker sees the same A and x.
  static void FillInput(const Params& params, Bytes input) {
    uint64_t state = params.seed;
    auto next = [&state] {  // splitmix64, mapped to [-1, 1)
      uint64_t z = (state += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return static_cast<double>((z ^ (z >> 31)) >> 11) / 4503599627370496.0 - 1.0;
    };
    const auto n = static_cast<size_t>(params.n);
    double* a = input.As<double>();
    for (size_t i = 0; i < n * n; ++i) a[i] = next();
    double* x = input.As<double>(XOffset(params));
    for (size_t i = 0; i < n; ++i) x[i] = next();
  }

  static Result Run(const Params& params, ConstBytes input, Bytes output) {
    const Eigen::Index n = params.n;
    ConstMatrix a(input.As<double>(), n, n);
    ConstVector x(input.As<double>(XOffset(params)), n);
    Vector y(output.As<double>(), n);
    y.noalias() = a * x;
    const auto nn = static_cast<double>(n) * static_cast<double>(n);
    return Result{y.sum(), 2 * nn, 8 * (nn + 2 * static_cast<double>(n))};
  }
};
PARLAB_KERNEL(MatVec);

}  // namespace
