// LoadPlugin on real shared libraries built by tests/support/plugins: the
// test plugin's kernels become kernels of this process, and every way a file
// can fail to be a plugin of this ABI is an error naming it, adding nothing.
#include "shared/kernels/plugin_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/kernels/kernel.h"
#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

std::string ErrorOf(const std::string& path) {
  Result<std::vector<std::string>> loaded = LoadPlugin(path);
  EXPECT_FALSE(loaded.ok()) << path;
  if (loaded.ok()) return "";
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  return loaded.status().message();
}

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(PluginLoaderTest, ItsKernelsBecomeKernelsOfThisProcess) {
  Result<std::vector<std::string>> loaded = LoadPlugin(PARLAB_TEST_PLUGIN);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, (std::vector<std::string>{"sumsq", "crash", "crash_once"}));
  const Kernel* sumsq = FindKernel("sumsq");
  ASSERT_NE(sumsq, nullptr);
  EXPECT_EQ(sumsq->description(),
            std::string("sum of the squares of n doubles (plugin ") + PARLAB_TEST_PLUGIN + ")");
  EXPECT_NE(KernelNames().find("sumsq, crash, crash_once"), std::string::npos) << KernelNames();

  // It computes what it says, on parlab's buffers, from parlab's seed.
  KernelParams params = sumsq->Defaults();
  EXPECT_EQ(params.n(), 1000);
  params.set_n(100);
  testing::AlignedBytes input(sumsq->InputBytes(params)), output(sumsq->OutputBytes(params));
  ASSERT_EQ(input.size(), 800u);
  sumsq->FillInput(params, {input.data(), input.size()});
  const KernelResult result =
      sumsq->Run(params, {input.data(), input.size()}, {output.data(), output.size()}, {});
  const auto* x = static_cast<const double*>(input.data());
  double expected = 0;
  for (int i = 0; i < 100; ++i) expected += x[i] * x[i];
  EXPECT_EQ(result.checksum, expected);
  EXPECT_GT(expected, 0);
  EXPECT_EQ(result.flops, 200);

  params.set_n(0);
  EXPECT_EQ(sumsq->Validate(params).message(), "sumsq: n must be 1..10000000, got 0");
}

TEST(PluginLoaderTest, LoadingTheSamePathAgainAddsNothing) {
  ASSERT_TRUE(LoadPlugin(PARLAB_TEST_PLUGIN).ok());
  Result<std::vector<std::string>> again = LoadPlugin(PARLAB_TEST_PLUGIN);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->size(), 3u);
  EXPECT_EQ(Count(KernelNames(), "sumsq"), 1u) << KernelNames();
}

TEST(PluginLoaderTest, AMissingFileSaysSo) {
  const std::string message = ErrorOf("/nonexistent/libmissing.so");
  EXPECT_NE(message.find("cannot load plugin /nonexistent/libmissing.so"), std::string::npos)
      << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(PluginLoaderTest, AnotherAbiVersionIsRefusedSayingWhichAndWhatToDo) {
  const std::string message = ErrorOf(PARLAB_TEST_PLUGIN_WRONG_ABI);
  EXPECT_NE(message.find(std::string("plugin ") + PARLAB_TEST_PLUGIN_WRONG_ABI +
                         " was built for kernel ABI version 99, this parlab speaks version 1"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("rebuild it"), std::string::npos) << message;
  EXPECT_EQ(FindKernel("future"), nullptr);
}

TEST(PluginLoaderTest, ALibraryWithoutTheEntryIsNoPlugin) {
  const std::string message = ErrorOf(PARLAB_TEST_PLUGIN_NO_ENTRY);
  EXPECT_NE(message.find("is no parlab kernel plugin: it has no symbol parlab_plugin_entry"),
            std::string::npos)
      << message;
}

TEST(PluginLoaderTest, ABuiltInsNameIsRefusedAndTheBuiltInStays) {
  const std::string message = ErrorOf(PARLAB_TEST_PLUGIN_CLASH);
  EXPECT_NE(message.find("kernel 'sum' has the name of another kernel"), std::string::npos)
      << message;
  EXPECT_EQ(FindKernel("sum"), FindKernel("sum"));
  EXPECT_EQ(FindKernel("sum")->description().find("plugin"), std::string::npos);
  // Still refused the second time: a failed load is not remembered as done.
  EXPECT_FALSE(LoadPlugin(PARLAB_TEST_PLUGIN_CLASH).ok());
}

}  // namespace
}  // namespace parlab
