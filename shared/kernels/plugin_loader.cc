#include "shared/kernels/plugin_loader.h"

#include <map>
#include <memory>
#include <mutex>

#include "shared/kernels/kernel.h"
#include "shared/kernels/plugin_kernel.h"
#include "shared/platform/shared_library.h"

namespace parlab {
namespace {

constexpr size_t kMaxNameLength = 64;

bool GoodName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Every check on the plugin's list before any kernel of it is added.
Status CheckKernels(const std::string& path, const parlab_plugin& plugin) {
  if (plugin.kernel_count == 0 || plugin.kernels == nullptr) {
    return InvalidArgument("plugin " + path + " holds no kernel (register one with PARLAB_KERNEL)");
  }
  std::map<std::string, int> seen;
  for (uint32_t i = 0; i < plugin.kernel_count; ++i) {
    const parlab_kernel* kernel = plugin.kernels[i];
    const std::string where = "plugin " + path + ": kernel " + std::to_string(i);
    if (kernel == nullptr || kernel->name == nullptr) {
      return InvalidArgument(where + " has no name");
    }
    const std::string name = kernel->name;
    if (!GoodName(name)) {
      return InvalidArgument(where + " is named '" + name +
                             "'; a name is 1 to 64 of a-z A-Z 0-9 _ - .");
    }
    if (kernel->run == nullptr) {
      return InvalidArgument("plugin " + path + ": kernel '" + name + "' has no run function");
    }
    if (FindKernel(name) != nullptr || ++seen[name] > 1) {
      return InvalidArgument("plugin " + path + ": kernel '" + name +
                             "' has the name of another kernel; known: " + KernelNames());
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> LoadPlugin(const std::string& path) {
  static std::mutex mutex;
  static auto* const loaded = new std::map<std::string, std::vector<std::string>>();
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = loaded->find(path); it != loaded->end()) return it->second;

  Result<SharedLibrary> library = SharedLibrary::Open(path);
  if (!library.ok()) {
    return InvalidArgument("cannot load plugin " + path + ": " + library.status().message());
  }
  void* entry = library->Symbol(PARLAB_PLUGIN_ENTRY_NAME);
  if (entry == nullptr) {
    return InvalidArgument(path + " is no parlab kernel plugin: it has no symbol " +
                           PARLAB_PLUGIN_ENTRY_NAME +
                           " (include <parlab/kernel.h> and register a kernel with PARLAB_KERNEL)");
  }
  const parlab_plugin* plugin = reinterpret_cast<parlab_plugin_entry_fn>(entry)();
  if (plugin == nullptr) return InvalidArgument("plugin " + path + " describes no kernels");
  if (plugin->abi_version != PARLAB_KERNEL_ABI_VERSION) {
    return InvalidArgument("plugin " + path + " was built for kernel ABI version " +
                           std::to_string(plugin->abi_version) + ", this parlab speaks version " +
                           std::to_string(PARLAB_KERNEL_ABI_VERSION) +
                           ": rebuild it against this parlab's <parlab/kernel.h>");
  }
  PARLAB_RETURN_IF_ERROR(CheckKernels(path, *plugin));
  std::vector<std::string> names;
  for (uint32_t i = 0; i < plugin->kernel_count; ++i) {
    const parlab_kernel& kernel = *plugin->kernels[i];
    PARLAB_RETURN_IF_ERROR(AddKernel(std::make_unique<PluginKernel>(kernel, path)));
    names.emplace_back(kernel.name);
  }
  (*loaded)[path] = names;
  return names;
}

}  // namespace parlab
