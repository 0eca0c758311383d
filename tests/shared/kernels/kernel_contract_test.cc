// What every kernel promises, checked on small sizes: inputs are a pure
// function of the seed, runs are repeatable, and the thread count changes the
// checksum by floating-point reassociation at most.

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "shared/kernels/kernel.h"
#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

using testing::AlignedBytes;
using testing::KernelRun;
using testing::Near;

// Defaults, shrunk so that the whole suite stays fast.
KernelParams SmallParams(const Kernel& kernel) {
  KernelParams params = kernel.Defaults();
  const std::string name(kernel.name());
  if (name == "spin") params.set_us(200);
  if (name == "loop") params.set_n(100'000);
  if (name == "sleep") params.set_ms(1);
  if (name == "matmul" || name == "inv") params.set_n(150);
  if (name == "elementwise" || name == "sum") params.set_n(300);
  if (name == "svd" || name == "eig") params.set_n(60);
  if (name == "pca") {
    params.set_rows(300);
    params.set_cols(40);
    params.set_k(5);
  }
  if (name == "conv") {
    params.set_batch(4);
    params.set_height(16);
    params.set_width(16);
    params.set_layers("c8,p2,c16");
  }
  return params;
}

class KernelContractTest : public ::testing::TestWithParam<const Kernel*> {};

TEST_P(KernelContractTest, SmallParamsValidate) {
  const Kernel& kernel = *GetParam();
  const Status status = kernel.Validate(SmallParams(kernel));
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_P(KernelContractTest, FillInputIsAPureFunctionOfTheSeed) {
  const Kernel& kernel = *GetParam();
  KernelParams params = SmallParams(kernel);
  const size_t bytes = kernel.InputBytes(params);
  if (bytes == 0) GTEST_SKIP() << "no input";
  AlignedBytes first(bytes), second(bytes), other_seed(bytes);
  kernel.FillInput(params, {first.data(), bytes});
  kernel.FillInput(params, {second.data(), bytes});
  params.set_seed(2);
  kernel.FillInput(params, {other_seed.data(), bytes});
  EXPECT_EQ(std::memcmp(first.data(), second.data(), bytes), 0);
  EXPECT_NE(std::memcmp(first.data(), other_seed.data(), bytes), 0);
}

TEST_P(KernelContractTest, ChecksumIsRepeatableAndIndependentOfThreads) {
  const Kernel& kernel = *GetParam();
  KernelRun run(kernel, SmallParams(kernel));
  const KernelResult one = run.Run(1);
  const KernelResult again = run.Run(1);
  const KernelResult two = run.Run(2);
  EXPECT_EQ(one.checksum, again.checksum);
  EXPECT_TRUE(Near(one.checksum, two.checksum, 1e-9));
  EXPECT_EQ(one.flops, two.flops);
  EXPECT_EQ(one.bytes, two.bytes);
  EXPECT_GE(one.flops, 0);
  EXPECT_GE(one.bytes, 0);
}

TEST_P(KernelContractTest, ChecksumDependsOnTheInput) {
  const Kernel& kernel = *GetParam();
  KernelParams params = SmallParams(kernel);
  if (kernel.InputBytes(params) == 0) GTEST_SKIP() << "no input";
  KernelRun first(kernel, params);
  params.set_seed(7);
  KernelRun second(kernel, params);
  EXPECT_NE(first.Run().checksum, second.Run().checksum);
}

TEST_P(KernelContractTest, InvalidParamsNeedNoMemory) {
  const Kernel& kernel = *GetParam();
  KernelParams params = kernel.Defaults();
  for (auto set :
       {&KernelParams::set_n, &KernelParams::set_us, &KernelParams::set_ms, &KernelParams::set_rows,
        &KernelParams::set_cols, &KernelParams::set_k, &KernelParams::set_batch,
        &KernelParams::set_channels, &KernelParams::set_height, &KernelParams::set_width}) {
    (params.*set)(-1);
  }
  params.set_layers("?");
  if (kernel.Validate(params).ok()) GTEST_SKIP() << "uses no field";
  EXPECT_EQ(kernel.InputBytes(params), 0u);
  EXPECT_EQ(kernel.OutputBytes(params), 0u);
}

TEST_P(KernelContractTest, RunAbortsOnABufferTooSmall) {
  const Kernel& kernel = *GetParam();
  const KernelParams params = SmallParams(kernel);
  const size_t output_bytes = kernel.OutputBytes(params);
  if (output_bytes == 0) GTEST_SKIP() << "no output";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  AlignedBytes input(kernel.InputBytes(params)), output(output_bytes);
  EXPECT_DEATH(kernel.Run(params, {input.data(), input.size()}, {output.data(), output_bytes - 1},
                          KernelContext{}),
               "output buffer of");
}

INSTANTIATE_TEST_SUITE_P(AllKernels, KernelContractTest, ::testing::ValuesIn(AllKernels()),
                         [](const ::testing::TestParamInfo<const Kernel*>& param) {
                           return std::string(param.param->name());
                         });

}  // namespace
}  // namespace parlab
