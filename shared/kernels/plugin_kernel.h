#pragma once
// PluginKernel: a kernel from a user's plugin (include/parlab/kernel.h) as one
// more Kernel. It turns KernelParams into the plugin's plain parlab_params
// and back, and calls the plugin's functions; a NULL function means what the
// public header says (no defaults, always valid, no input, ...). Stateless
// and immutable like every kernel: one instance serves every thread.
// The plugin's code must stay loaded as long as the object lives (plugins
// are never unloaded: plugin_loader.h).

#include <string>
#include <string_view>

#define PARLAB_KERNEL_C_ONLY  // the C interface only: parlab reads plugins, it is none
#include "parlab/kernel.h"
#include "shared/kernels/kernel.h"

namespace parlab {

class PluginKernel final : public Kernel {
 public:
  // `kernel` points into the loaded plugin; `plugin_path` is where it came from.
  PluginKernel(const parlab_kernel& kernel, std::string plugin_path);

  std::string_view name() const override { return name_; }
  std::string_view description() const override { return description_; }
  KernelParams Defaults() const override;
  // The plugin's verdict; its message is prefixed with the kernel's name.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override;
  bool UsesThreads() const override;

  const std::string& plugin_path() const { return plugin_path_; }

 private:
  const parlab_kernel& kernel_;
  std::string name_;
  std::string description_;  // "<the plugin's> (plugin <path>)"
  std::string plugin_path_;
};

// The plugin `kernel` came from (what a worker must load to find it by
// name), or "" for a built-in kernel.
std::string PluginPathOf(const Kernel& kernel);

// The parameters as the plugin sees them (threads = 1) and back again; the
// fields parlab_params has no room for (layers) are left as they were.
parlab_params ToPluginParams(const KernelParams& params);
void FromPluginParams(const parlab_params& from, KernelParams& to);

}  // namespace parlab
