#include "coordinator/cli/kernel_flags.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "shared/kernels/plugin_loader.h"

namespace parlab {

KernelFlags::KernelFlags(CLI::App& app, std::string default_workload)
    : workload_(std::move(default_workload)) {
  workload_opt_ = app.add_option("workload,--kernel", workload_,
                                 "the kernel: " + KernelNames() + ", or a --plugin's")
                      ->capture_default_str();
  plugin_opt_ = app.add_option("--plugin", plugin_,
                               "a kernel plugin (lib.so built against <parlab/kernel.h>): loaded "
                               "here and in every worker; --kernel names one of its kernels "
                               "(default: its first)");
  const char* group = "Workload parameters (defaults: the notebook's sizes)";
  n_opt_ = app.add_option("--n", n_, "matrix order n×n, or the loop's count")->group(group);
  us_opt_ = app.add_option("--us", us_, "spin: busy time per task, µs")->group(group);
  ms_opt_ = app.add_option("--ms", ms_, "sleep: wait per task, ms")->group(group);
  rows_opt_ = app.add_option("--rows", rows_, "pca: rows")->group(group);
  cols_opt_ = app.add_option("--cols", cols_, "pca: columns")->group(group);
  k_opt_ = app.add_option("--k", k_, "pca: components kept")->group(group);
  batch_opt_ = app.add_option("--batch", batch_, "conv: batch size")->group(group);
  channels_opt_ = app.add_option("--channels", channels_, "conv: input channels")->group(group);
  height_opt_ = app.add_option("--height", height_, "conv: input height")->group(group);
  width_opt_ = app.add_option("--width", width_, "conv: input width")->group(group);
  layers_opt_ =
      app.add_option("--layers", layers_, "conv: layers, e.g. c32,p2,c64,p2,c128")->group(group);
  seed_opt_ = app.add_option("--seed", seed_, "seed of the generated inputs")->group(group);
  options_ = {plugin_opt_, n_opt_,        us_opt_,     ms_opt_,    rows_opt_,   cols_opt_, k_opt_,
              batch_opt_,  channels_opt_, height_opt_, width_opt_, layers_opt_, seed_opt_};
}

Result<std::string> KernelFlags::PluginPath() const {
  if (plugin_opt_->count() == 0) return std::string();
  std::error_code error;
  const std::filesystem::path path = std::filesystem::absolute(plugin_, error);
  if (error || !std::filesystem::is_regular_file(path, error)) {
    return InvalidArgument("--plugin " + plugin_ + ": no such file");
  }
  return path.lexically_normal().string();
}

Result<std::vector<std::string>> KernelFlags::LoadGivenPlugin() const {
  if (plugin_opt_->count() == 0) return std::vector<std::string>();
  PARLAB_ASSIGN_OR_RETURN(std::string path, PluginPath());
  Result<std::vector<std::string>> kernels = LoadPlugin(path);
  if (!kernels.ok()) return InvalidArgument("--plugin: " + kernels.status().message());
  return kernels;
}

Result<KernelParams> KernelFlags::MakeParams() const {
  std::string workload = workload_;
  if (plugin_opt_->count() > 0) {
    PARLAB_ASSIGN_OR_RETURN(std::string path, PluginPath());
    PARLAB_ASSIGN_OR_RETURN(std::vector<std::string> kernels, LoadGivenPlugin());
    if (workload_opt_->count() == 0) workload = kernels.front();
    if (FindKernel(workload) == nullptr) {
      std::string names;
      for (const std::string& name : kernels) names += (names.empty() ? "" : ", ") + name;
      return InvalidArgument("--kernel: no kernel '" + workload + "' in plugin " + path +
                             " (it has: " + names + ") nor among the built-in ones");
    }
  }
  const Kernel* kernel = FindKernel(workload);
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + workload + "'; known: " + KernelNames());
  }
  return MakeParams(kernel->Defaults());
}

Result<KernelParams> KernelFlags::MakeParams(const KernelParams& base) const {
  PARLAB_RETURN_IF_ERROR(LoadGivenPlugin().status());
  const std::string& workload = workload_given() ? workload_ : base.kernel();
  const Kernel* kernel = FindKernel(workload);
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + workload + "'; known: " + KernelNames());
  }
  KernelParams params = workload == base.kernel() ? base : kernel->Defaults();
  ApplyGiven(params);
  PARLAB_RETURN_IF_ERROR(kernel->Validate(params));
  return params;
}

void KernelFlags::ApplyGiven(KernelParams& params) const {
  if (n_opt_->count() > 0) params.set_n(n_);
  if (us_opt_->count() > 0) params.set_us(us_);
  if (ms_opt_->count() > 0) params.set_ms(ms_);
  if (rows_opt_->count() > 0) params.set_rows(rows_);
  if (cols_opt_->count() > 0) params.set_cols(cols_);
  if (k_opt_->count() > 0) params.set_k(k_);
  if (batch_opt_->count() > 0) params.set_batch(batch_);
  if (channels_opt_->count() > 0) params.set_channels(channels_);
  if (height_opt_->count() > 0) params.set_height(height_);
  if (width_opt_->count() > 0) params.set_width(width_);
  if (layers_opt_->count() > 0) params.set_layers(layers_);
  if (seed_opt_->count() > 0) params.set_seed(seed_);
}

bool KernelFlags::given(const std::string& name) const {
  for (const CLI::Option* option : options_) {
    if (option->get_name() == name) return option->count() > 0;
  }
  return false;
}

std::vector<std::string> KernelFlags::Args() const {
  std::vector<std::string> args;
  // A plugin's default kernel is chosen again in the child; "loop" would not be it.
  if (workload_opt_->count() > 0 || plugin_opt_->count() == 0) args.push_back(workload_);
  for (const CLI::Option* option : options_) {
    if (option->count() == 0) continue;
    args.push_back(option->get_name());
    args.push_back(option->as<std::string>());
  }
  return args;
}

}  // namespace parlab
