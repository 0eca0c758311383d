// The kernels of parlab_test_plugin, built the way a user builds one: only
// <parlab/kernel.h>, one PARLAB_KERNEL per kernel.
//   sumsq       n doubles made from the seed; writes their squares, returns
//               the sum of squares (the checksum depends on the input)
//   crash       kills its process with SIGSEGV, as a wild pointer would
//   crash_once  the first call anywhere (a marker file named by
//               $PARLAB_TEST_CRASH_MARKER, created exclusively) crashes,
//               every later one runs as sumsq: its task is requeued once
#include <fcntl.h>
#include <parlab/kernel.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

using parlab::plugin::Bytes;
using parlab::plugin::ConstBytes;
using parlab::plugin::Params;
using parlab::plugin::Result;

struct SumSquares : parlab::plugin::KernelDefaults {
  static constexpr const char* kName = "sumsq";
  static constexpr const char* kDescription = "sum of the squares of n doubles";
  static void Defaults(Params& params) { params.n = 1000; }
  static std::string Validate(const Params& params) {
    if (params.n < 1 || params.n > 10'000'000) {
      return "n must be 1..10000000, got " + std::to_string(params.n);
    }
    return {};
  }
  static size_t InputBytes(const Params& params) {
    return static_cast<size_t>(params.n) * sizeof(double);
  }
  static size_t OutputBytes(const Params& params) { return InputBytes(params); }
  static void FillInput(const Params& params, Bytes input) {
    uint64_t state = params.seed * 0x9E3779B97F4A7C15ull + 1;
    double* x = input.As<double>();
    for (int64_t i = 0; i < params.n; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      x[i] = static_cast<double>(state >> 11) / 9007199254740992.0;  // [0, 1)
    }
  }
  static Result Run(const Params& params, ConstBytes input, Bytes output) {
    const double* x = input.As<double>();
    double* y = output.As<double>();
    double sum = 0;
    for (int64_t i = 0; i < params.n; ++i) {
      y[i] = x[i] * x[i];
      sum += y[i];
    }
    const auto n = static_cast<double>(params.n);
    return Result{sum, 2 * n, 16 * n};
  }
};
PARLAB_KERNEL(SumSquares);

struct Crash : parlab::plugin::KernelDefaults {
  static constexpr const char* kName = "crash";
  static constexpr const char* kDescription = "dies of SIGSEGV";
  static Result Run(const Params& /*params*/, ConstBytes /*input*/, Bytes /*output*/) {
    raise(SIGSEGV);
    return Result{};
  }
};
PARLAB_KERNEL(Crash);

struct CrashOnce : SumSquares {
  static constexpr const char* kName = "crash_once";
  static constexpr const char* kDescription = "dies of SIGSEGV on its first call anywhere";
  static Result Run(const Params& params, ConstBytes input, Bytes output) {
    const char* marker = std::getenv("PARLAB_TEST_CRASH_MARKER");
    if (marker != nullptr) {
      const int fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0600);
      if (fd >= 0) {
        close(fd);
        raise(SIGSEGV);
      }
    }
    return SumSquares::Run(params, input, output);
  }
};
PARLAB_KERNEL(CrashOnce);

}  // namespace
