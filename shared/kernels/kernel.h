#pragma once
// A kernel is one workload: it validates its parameters, says how much input
// and output memory it needs, fills its inputs deterministically from a seed,
// and runs on caller-provided memory (a heap buffer in one process, the shared
// arena across processes: it never allocates its inputs or outputs itself).
// Each run returns a checksum, so no compiler removes the work and a wrong
// answer is caught, plus its FLOP and byte counts.
//
// Kernel objects are stateless and immutable: one instance serves every
// thread at once. Kernels are the only code that uses OpenMP.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/bytes.h"  // caller-owned memory handed to a kernel, valid for the call
#include "shared/status.h"

namespace parlab {

using KernelParams = pb::KernelParams;

// What a kernel that holds the global lock (gil mode) sees of it. Such kernels
// call Checkpoint() about every 50 µs of work, as CPython's eval loop checks
// its "drop request" between bytecodes. Implemented by the gil mode.
class GlobalLockHooks {
 public:
  virtual ~GlobalLockHooks() = default;
  // Gives the lock up (and takes it back) if another thread has asked for it.
  virtual void Checkpoint() = 0;
};

// Per-call settings. Not shared between threads.
struct KernelContext {
  int threads = 1;                  // OpenMP/Eigen threads inside this call
  GlobalLockHooks* lock = nullptr;  // set only in gil mode
  void Checkpoint() const {
    if (lock != nullptr) lock->Checkpoint();
  }
};

struct StageTime {
  std::string name;
  int64_t ns = 0;
};

struct KernelResult {
  double checksum = 0;
  double flops = 0;               // floating-point operations done (0 where none)
  double bytes = 0;               // bytes read and written (for GB/s)
  std::vector<StageTime> stages;  // only for kernels with stages (pca, conv)
};

class Kernel {
 public:
  virtual ~Kernel() = default;

  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;

  // The notebook's sizes for this kernel; `kernel` is set to name().
  virtual KernelParams Defaults() const = 0;

  // Checks every field this kernel uses; the error names the field:
  // "matmul: n must be 1..20000, got 0".
  virtual Status Validate(const KernelParams& params) const = 0;

  // Bytes of input and output memory a call needs; 0 where it needs none
  // (the built-in kernels also answer 0 for params that do not validate).
  virtual size_t InputBytes(const KernelParams& /*params*/) const { return 0; }
  virtual size_t OutputBytes(const KernelParams& /*params*/) const { return 0; }

  // Writes the inputs made from params.seed(). input.size == InputBytes(params).
  virtual void FillInput(const KernelParams& /*params*/, MutableBytes /*input*/) const {}

  // Runs once. Preconditions: Validate(params).ok(), input.size >= InputBytes(params),
  // output.size >= OutputBytes(params), buffers aligned to 64 bytes.
  virtual KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                           const KernelContext& context) const = 0;

  // True for kernels that release the global lock for their whole run, as
  // NumPy's C calls and blocking I/O do in CPython.
  virtual bool ReleasesGlobalLock() const { return false; }

  // True where threads inside one call can help (BLAS/LAPACK-like kernels).
  virtual bool UsesThreads() const { return false; }
};

// A kernel by name, built-in or added from a plugin; nullptr when there is
// no such kernel. Thread-safe, also while a plugin's kernels are added.
const Kernel* FindKernel(std::string_view name);
// The built-in kernels, in the order `parlab --help` lists them.
const std::vector<const Kernel*>& AllKernels();

// At most this many kernels come from plugins in one process.
inline constexpr size_t kMaxPluginKernels = 64;

// Makes `kernel` (a plugin's: plugin_loader.h) one more kernel that
// FindKernel finds, for the rest of the process; it is never destroyed.
// Errors (kInvalidArgument): its name is taken, or kMaxPluginKernels are
// there already. Thread-safe.
Status AddKernel(std::unique_ptr<const Kernel> kernel);

// "noop, spin, loop, ..." (and plugin kernels after them) for help texts and errors.
std::string KernelNames();

}  // namespace parlab
