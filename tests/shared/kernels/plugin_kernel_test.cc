// PluginKernel on a parlab_kernel made here, in plain C functions, as a
// plugin's entry point would hand it over: the parameters cross both ways,
// the plugin's message becomes the error, NULL functions mean what the public
// header says, and Run sees the context's threads.
#include "shared/kernels/plugin_kernel.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

void Defaults(parlab_params* params) {
  params->n = 8;
  params->us = 3;
}
int Validate(const parlab_params* params, char* error, size_t error_size) {
  if (params->n >= 1) return 0;
  std::snprintf(error, error_size, "n must be at least 1, got %lld",
                static_cast<long long>(params->n));
  return 1;
}
size_t InputBytes(const parlab_params* params) { return static_cast<size_t>(params->n) * 8; }
size_t OutputBytes(const parlab_params* params) { return static_cast<size_t>(params->n) * 16; }
void FillInput(const parlab_params* params, void* input, size_t /*input_size*/) {
  auto* x = static_cast<double*>(input);
  for (int64_t i = 0; i < params->n; ++i)
    x[i] = static_cast<double>(params->seed) + static_cast<double>(i);
}
parlab_result Run(const parlab_params* params, const void* input, size_t /*input_size*/,
                  void* output, size_t /*output_size*/) {
  const auto* x = static_cast<const double*>(input);
  auto* y = static_cast<double*>(output);
  double sum = 0;
  for (int64_t i = 0; i < params->n; ++i) {
    y[i] = x[i];
    sum += x[i];
  }
  // The threads it was given, where the test can see them.
  return parlab_result{sum, static_cast<double>(params->threads), static_cast<double>(params->us)};
}
parlab_result RunNothing(const parlab_params* /*params*/, const void* /*input*/,
                         size_t /*input_size*/, void* /*output*/, size_t /*output_size*/) {
  return parlab_result{5, 0, 0};
}

const parlab_kernel kFull = {"full",       "adds its input", PARLAB_KERNEL_RELEASES_LOCK,
                             &Defaults,    &Validate,        &InputBytes,
                             &OutputBytes, &FillInput,       &Run};
const parlab_kernel kBare = {"bare",  nullptr, 0,       nullptr,    nullptr,
                             nullptr, nullptr, nullptr, &RunNothing};

TEST(PluginKernelTest, DefaultsAreThePluginsWithTheNameAndSeedOne) {
  const PluginKernel kernel(kFull, "/x/libfull.so");
  const KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.kernel(), "full");
  EXPECT_EQ(params.n(), 8);
  EXPECT_EQ(params.us(), 3);
  EXPECT_EQ(params.seed(), 1u);
  EXPECT_EQ(kernel.name(), "full");
  EXPECT_EQ(kernel.description(), "adds its input (plugin /x/libfull.so)");
  EXPECT_EQ(kernel.plugin_path(), "/x/libfull.so");
}

TEST(PluginKernelTest, TheRefusalIsThePluginsMessageNamingTheKernel) {
  const PluginKernel kernel(kFull, "/x/libfull.so");
  KernelParams params = kernel.Defaults();
  EXPECT_TRUE(kernel.Validate(params).ok());
  params.set_n(0);
  const Status status = kernel.Validate(params);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "full: n must be at least 1, got 0");
  // Like the built-ins: no memory for parameters that do not validate.
  EXPECT_EQ(kernel.InputBytes(params), 0u);
  EXPECT_EQ(kernel.OutputBytes(params), 0u);
}

TEST(PluginKernelTest, FillsAndRunsOnTheCallersBuffersWithTheContextsThreads) {
  const PluginKernel kernel(kFull, "/x/libfull.so");
  KernelParams params = kernel.Defaults();
  params.set_seed(10);
  ASSERT_EQ(kernel.InputBytes(params), 64u);
  ASSERT_EQ(kernel.OutputBytes(params), 128u);
  testing::AlignedBytes input(64), output(128);
  kernel.FillInput(params, {input.data(), input.size()});
  KernelContext context;
  context.threads = 3;
  const KernelResult result =
      kernel.Run(params, {input.data(), input.size()}, {output.data(), output.size()}, context);
  EXPECT_EQ(result.checksum, 10 * 8 + 28);  // 10+0 + 10+1 + ... + 10+7
  EXPECT_EQ(result.flops, 3);               // the threads Run saw
  EXPECT_EQ(result.bytes, 3);               // us, from the defaults
  EXPECT_EQ(static_cast<const double*>(output.data())[7], 17);
  EXPECT_TRUE(kernel.ReleasesGlobalLock());
  EXPECT_FALSE(kernel.UsesThreads());
}

TEST(PluginKernelTest, NullFunctionsMeanNoDefaultsAlwaysValidNoMemory) {
  const PluginKernel kernel(kBare, "/x/libbare.so");
  const KernelParams params = kernel.Defaults();
  EXPECT_EQ(params.kernel(), "bare");
  EXPECT_EQ(params.seed(), 1u);
  EXPECT_EQ(params.n(), 0);
  EXPECT_TRUE(kernel.Validate(params).ok());
  EXPECT_EQ(kernel.InputBytes(params), 0u);
  EXPECT_EQ(kernel.OutputBytes(params), 0u);
  kernel.FillInput(params, {});
  EXPECT_EQ(kernel.Run(params, {}, {}, KernelContext{}).checksum, 5);
  EXPECT_EQ(kernel.description(), "a plugin kernel (plugin /x/libbare.so)");
  EXPECT_FALSE(kernel.ReleasesGlobalLock());
}

TEST(PluginKernelTest, APluginKernelNamesItsPluginABuiltInNone) {
  const PluginKernel kernel(kBare, "/x/libbare.so");
  EXPECT_EQ(PluginPathOf(kernel), "/x/libbare.so");
  EXPECT_EQ(PluginPathOf(*FindKernel("matmul")), "");
}

TEST(PluginKernelTest, ParamsCrossBothWays) {
  KernelParams params;
  params.set_n(1);
  params.set_us(2);
  params.set_ms(3);
  params.set_rows(4);
  params.set_cols(5);
  params.set_k(6);
  params.set_batch(7);
  params.set_channels(8);
  params.set_height(9);
  params.set_width(10);
  params.set_seed(11);
  params.set_layers("c8");
  const parlab_params c = ToPluginParams(params);
  EXPECT_EQ(c.n + c.us + c.ms + c.rows + c.cols + c.k + c.batch + c.channels + c.height + c.width,
            55);
  EXPECT_EQ(c.seed, 11u);
  EXPECT_EQ(c.threads, 1);
  KernelParams back;
  back.set_layers("c8");
  FromPluginParams(c, back);
  EXPECT_EQ(back.SerializeAsString(), params.SerializeAsString());
}

}  // namespace
}  // namespace parlab
