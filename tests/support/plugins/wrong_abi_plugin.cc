// parlab_test_plugin_wrong_abi: a plugin as a parlab of another kernel ABI
// version would build it — the entry point by hand, from the C interface.
#define PARLAB_KERNEL_C_ONLY
#include <parlab/kernel.h>

namespace {

parlab_result Run(const parlab_params* /*params*/, const void* /*input*/, size_t /*input_size*/,
                  void* /*output*/, size_t /*output_size*/) {
  return parlab_result{};
}

const parlab_kernel kKernel = {
    "future", "from another ABI", 0, nullptr, nullptr, nullptr, nullptr, nullptr, &Run};
const parlab_kernel* const kKernels[] = {&kKernel};

}  // namespace

extern "C" __attribute__((visibility("default"))) const parlab_plugin* parlab_plugin_entry(void) {
  static const parlab_plugin plugin = {PARLAB_KERNEL_ABI_VERSION + 98, 1, kKernels};
  return &plugin;
}
