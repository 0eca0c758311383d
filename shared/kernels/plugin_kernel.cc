#include "shared/kernels/plugin_kernel.h"

#include <utility>

#include "shared/kernels/kernel_checks.h"

namespace parlab {

parlab_params ToPluginParams(const KernelParams& params) {
  parlab_params c{};
  c.n = params.n();
  c.us = params.us();
  c.ms = params.ms();
  c.rows = params.rows();
  c.cols = params.cols();
  c.k = params.k();
  c.batch = params.batch();
  c.channels = params.channels();
  c.height = params.height();
  c.width = params.width();
  c.seed = params.seed();
  c.threads = 1;
  return c;
}

void FromPluginParams(const parlab_params& from, KernelParams& to) {
  to.set_n(from.n);
  to.set_us(from.us);
  to.set_ms(from.ms);
  to.set_rows(from.rows);
  to.set_cols(from.cols);
  to.set_k(from.k);
  to.set_batch(from.batch);
  to.set_channels(from.channels);
  to.set_height(from.height);
  to.set_width(from.width);
  to.set_seed(from.seed);
}

std::string PluginPathOf(const Kernel& kernel) {
  const auto* plugin = dynamic_cast<const PluginKernel*>(&kernel);
  return plugin != nullptr ? plugin->plugin_path() : std::string();
}

PluginKernel::PluginKernel(const parlab_kernel& kernel, std::string plugin_path)
    : kernel_(kernel), name_(kernel.name), plugin_path_(std::move(plugin_path)) {
  description_ = kernel.description != nullptr ? kernel.description : "a plugin kernel";
  description_ += " (plugin " + plugin_path_ + ")";
}

KernelParams PluginKernel::Defaults() const {
  KernelParams params;
  params.set_seed(1);
  if (kernel_.defaults != nullptr) {
    parlab_params c = ToPluginParams(params);
    kernel_.defaults(&c);
    FromPluginParams(c, params);
  }
  params.set_kernel(name_);
  return params;
}

Status PluginKernel::Validate(const KernelParams& params) const {
  if (kernel_.validate == nullptr) return Status::Ok();
  const parlab_params c = ToPluginParams(params);
  char error[512] = {};
  if (kernel_.validate(&c, error, sizeof(error)) == 0) return Status::Ok();
  error[sizeof(error) - 1] = '\0';  // a plugin that forgot the terminator
  return InvalidArgument(name_ + ": " + (error[0] != '\0' ? error : "invalid parameters"));
}

size_t PluginKernel::InputBytes(const KernelParams& params) const {
  if (kernel_.input_bytes == nullptr || !Validate(params).ok()) return 0;
  const parlab_params c = ToPluginParams(params);
  return kernel_.input_bytes(&c);
}

size_t PluginKernel::OutputBytes(const KernelParams& params) const {
  if (kernel_.output_bytes == nullptr || !Validate(params).ok()) return 0;
  const parlab_params c = ToPluginParams(params);
  return kernel_.output_bytes(&c);
}

void PluginKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  if (kernel_.fill_input == nullptr) return;
  const parlab_params c = ToPluginParams(params);
  kernel_.fill_input(&c, input.data, input.size);
}

KernelResult PluginKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                               const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  parlab_params c = ToPluginParams(params);
  c.threads = context.threads;
  const parlab_result out = kernel_.run(&c, input.data, input.size, output.data, output.size);
  KernelResult result;
  result.checksum = out.checksum;
  result.flops = out.flops;
  result.bytes = out.bytes;
  return result;
}

bool PluginKernel::ReleasesGlobalLock() const {
  return (kernel_.flags & PARLAB_KERNEL_RELEASES_LOCK) != 0;
}

bool PluginKernel::UsesThreads() const { return (kernel_.flags & PARLAB_KERNEL_USES_THREADS) != 0; }

}  // namespace parlab
