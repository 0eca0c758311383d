#pragma once
/* parlab/kernel.h: the one header a user's kernel plugin needs.
 *
 * A plugin is a shared library holding one or more kernels. A kernel is a
 * function of its parameters and of views of its input and output bytes,
 * plus (optionally) how many bytes it needs and how its input is made:
 *
 *   #include <parlab/kernel.h>
 *
 *   struct Mine : parlab::plugin::KernelDefaults {
 *     static constexpr const char* kName = "mine";
 *     static constexpr const char* kDescription = "sum of n doubles";
 *     static void Defaults(parlab::plugin::Params& p) { p.n = 1000; }
 *     static std::string Validate(const parlab::plugin::Params& p) {
 *       return p.n >= 1 ? "" : "n must be at least 1";
 *     }
 *     static size_t InputBytes(const parlab::plugin::Params& p) { return p.n * 8; }
 *     static void FillInput(const parlab::plugin::Params& p, parlab::plugin::Bytes in) {...}
 *     static parlab::plugin::Result Run(const parlab::plugin::Params& p,
 *                                       parlab::plugin::ConstBytes in, parlab::plugin::Bytes out);
 *   };
 *   PARLAB_KERNEL(Mine);
 *
 * built as a shared library (`target_link_libraries(mine PRIVATE parlab::kernel)`)
 * and run with `parlab run --plugin ./libmine.so --kernel mine`. parlab loads
 * it (dlopen) in the coordinator and in every worker and calls it exactly as
 * it calls its built-in kernels, in every mode:
 *   - FillInput once per job, into memory parlab owns (the shared arena in
 *     procs mode); Run once per task, on that input and on an output block of
 *     OutputBytes(). Both blocks are 64-byte aligned, so they may be mapped as
 *     Eigen::Map<..., Eigen::Aligned64>. Run never allocates them.
 *   - Validate before anything starts: a non-empty message is the user's
 *     error (parlab prints "mine: <message>" and exits with code 2).
 *   - Run returns a checksum (so no compiler removes the work, and parlab
 *     checks every mode got the same answer) and, if it wants rates shown,
 *     its FLOP and byte counts.
 *
 * Thread safety: parlab calls one kernel from several threads at once
 * (threads mode), so a kernel keeps no mutable state of its own. A kernel that
 * crashes (or throws: the calls are noexcept, so that is std::terminate) ends
 * the process it runs in: in procs mode that is a worker death like any
 * other — its task is requeued, and given up after --max-attempts.
 *
 * This header depends on nothing of parlab's: only the C and C++ standard
 * libraries. Its C part (the structs and the entry point's type) is the
 * binary interface; PARLAB_KERNEL_ABI_VERSION names it, and a plugin built
 * for another version is refused at load with a message saying so.
 */

#include <stddef.h>
#include <stdint.h>

/* The version of the binary interface below. It changes whenever any struct
 * or function type of this C part does; parlab refuses any other. */
#define PARLAB_KERNEL_ABI_VERSION 1u

/* The symbol every plugin exports; PARLAB_KERNEL defines it. */
#define PARLAB_PLUGIN_ENTRY_NAME "parlab_plugin_entry"

#ifdef __cplusplus
extern "C" {
#endif

/* A kernel call's parameters: parlab's kernel flags (--n, --us, --ms, --rows,
 * --cols, --k, --batch, --channels, --height, --width, --seed), each 0 unless
 * the kernel's defaults or the user set it. */
typedef struct parlab_params {
  int64_t n;
  int64_t us;
  int64_t ms;
  int64_t rows;
  int64_t cols;
  int64_t k;
  int64_t batch;
  int64_t channels;
  int64_t height;
  int64_t width;
  uint64_t seed;   /* make the input from it: every mode then sees the same data */
  int32_t threads; /* threads this call may use inside itself (--threads); Run only */
  int32_t reserved;
} parlab_params;

typedef struct parlab_result {
  double checksum; /* depends on the whole answer */
  double flops;    /* floating-point operations done, 0 where none */
  double bytes;    /* bytes read and written, 0 if unknown */
} parlab_result;

/* parlab_kernel.flags */
#define PARLAB_KERNEL_RELEASES_LOCK 1u /* gil mode: runs without the global lock, as NumPy does */
#define PARLAB_KERNEL_USES_THREADS 2u  /* threads inside one call help (BLAS-like) */

/* One kernel. name and run are required; a NULL function means: no defaults,
 * always valid, no input, no output, nothing to fill. */
typedef struct parlab_kernel {
  const char* name; /* [a-z0-9_-]+, unlike any built-in kernel's */
  const char* description;
  uint32_t flags;
  void (*defaults)(parlab_params* params);
  /* 0 when valid; otherwise writes a NUL-terminated message to error (at most
   * error_size bytes) and returns non-zero. */
  int (*validate)(const parlab_params* params, char* error, size_t error_size);
  size_t (*input_bytes)(const parlab_params* params);
  size_t (*output_bytes)(const parlab_params* params);
  void (*fill_input)(const parlab_params* params, void* input, size_t input_size);
  parlab_result (*run)(const parlab_params* params, const void* input, size_t input_size,
                       void* output, size_t output_size);
} parlab_kernel;

/* What the entry point returns. abi_version comes first and stays first in
 * every version, so that parlab can read it from a plugin of any version. */
typedef struct parlab_plugin {
  uint32_t abi_version; /* PARLAB_KERNEL_ABI_VERSION the plugin was built with */
  uint32_t kernel_count;
  const parlab_kernel* const* kernels;
} parlab_plugin;

/* The type of parlab_plugin_entry. Called once per process, after dlopen. */
typedef const parlab_plugin* (*parlab_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Define PARLAB_KERNEL_C_ONLY for the C interface alone, without the C++
 * helpers and the entry point below (parlab itself does: it reads plugins,
 * it is none). */
#if defined(__cplusplus) && !defined(PARLAB_KERNEL_C_ONLY)

#include <cstdio>
#include <string>
#include <vector>

namespace parlab::plugin {

using Params = parlab_params;
using Result = parlab_result;

// A view of parlab's memory for one call; owns nothing. data is 64-byte aligned.
struct ConstBytes {
  const void* data = nullptr;
  size_t size = 0;
  // The bytes from `offset` on as an array of T.
  template <typename T>
  const T* As(size_t offset = 0) const {
    return reinterpret_cast<const T*>(static_cast<const unsigned char*>(data) + offset);
  }
};
struct Bytes {
  void* data = nullptr;
  size_t size = 0;
  template <typename T>
  T* As(size_t offset = 0) const {
    return reinterpret_cast<T*>(static_cast<unsigned char*>(data) + offset);
  }
};

// What a kernel that says nothing about it gets. Derive from it and declare
// only what your kernel needs (kName and Run at least): yours hide these.
struct KernelDefaults {
  static constexpr const char* kDescription = "a plugin kernel";
  static constexpr uint32_t kFlags = 0;  // PARLAB_KERNEL_RELEASES_LOCK | ...
  static void Defaults(Params& /*params*/) {}
  // "" when valid, else what is wrong ("n must be at least 1").
  static std::string Validate(const Params& /*params*/) { return {}; }
  static size_t InputBytes(const Params& /*params*/) { return 0; }
  static size_t OutputBytes(const Params& /*params*/) { return 0; }
  static void FillInput(const Params& /*params*/, Bytes /*input*/) {}
};

// The machinery behind PARLAB_KERNEL. Hidden: every plugin has its own list
// and its own adapters, even when two plugins name their kernel types alike
// (default visibility would let the dynamic linker merge them across plugins:
// GCC makes such statics of inline functions and templates unique symbols).
#pragma GCC visibility push(hidden)
namespace internal {

struct Registry {
  std::vector<const parlab_kernel*> kernels;
  parlab_plugin plugin{};
};

inline Registry& ThisPlugin() {
  static Registry registry;
  return registry;
}

inline bool Register(const parlab_kernel* kernel) {
  ThisPlugin().kernels.push_back(kernel);
  return true;
}

template <typename K>
struct Adapter {
  static void Defaults(parlab_params* params) noexcept { K::Defaults(*params); }
  static int Validate(const parlab_params* params, char* error, size_t error_size) noexcept {
    const std::string message = K::Validate(*params);
    if (message.empty()) return 0;
    if (error_size > 0) std::snprintf(error, error_size, "%s", message.c_str());
    return 1;
  }
  static size_t InputBytes(const parlab_params* params) noexcept { return K::InputBytes(*params); }
  static size_t OutputBytes(const parlab_params* params) noexcept {
    return K::OutputBytes(*params);
  }
  static void FillInput(const parlab_params* params, void* input, size_t input_size) noexcept {
    K::FillInput(*params, Bytes{input, input_size});
  }
  static parlab_result Run(const parlab_params* params, const void* input, size_t input_size,
                           void* output, size_t output_size) noexcept {
    return K::Run(*params, ConstBytes{input, input_size}, Bytes{output, output_size});
  }
  static inline const parlab_kernel kKernel = {
      K::kName,    K::kDescription, K::kFlags,  &Defaults, &Validate,
      &InputBytes, &OutputBytes,    &FillInput, &Run,
  };
};

}  // namespace internal
#pragma GCC visibility pop
}  // namespace parlab::plugin

#define PARLAB_KERNEL_CONCAT_(a, b) a##b
#define PARLAB_KERNEL_CONCAT(a, b) PARLAB_KERNEL_CONCAT_(a, b)

// Registers kernel type K (see the top of this file) in this plugin; once per
// kernel, at namespace scope, in any source file of the plugin.
#define PARLAB_KERNEL(K)                                                             \
  [[maybe_unused]] static const bool PARLAB_KERNEL_CONCAT(parlab_kernel_registered_, \
                                                          __COUNTER__) =             \
      ::parlab::plugin::internal::Register(&::parlab::plugin::internal::Adapter<K>::kKernel)

// The entry point parlab looks up after dlopen. Inline, so that every source
// file that includes this header may define it and the linker keeps one;
// `used`, so that it is emitted even where nothing calls it.
extern "C" __attribute__((visibility("default"), used)) inline const parlab_plugin*
parlab_plugin_entry(void) {
  ::parlab::plugin::internal::Registry& registry = ::parlab::plugin::internal::ThisPlugin();
  registry.plugin.abi_version = PARLAB_KERNEL_ABI_VERSION;
  registry.plugin.kernel_count = static_cast<uint32_t>(registry.kernels.size());
  registry.plugin.kernels = registry.kernels.data();
  return &registry.plugin;
}

#endif /* __cplusplus && !PARLAB_KERNEL_C_ONLY */
