#include "shared/kernels/conv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "shared/kernels/conv_shapes.h"
#include "tests/shared/kernels/kernel_test_util.h"

namespace parlab {
namespace {

size_t AlignUp(size_t bytes) { return (bytes + 63) / 64 * 64; }

// A tensor in NCHW, in double so the reference rounds less than the kernel.
struct Tensor {
  int64_t batch = 0, channels = 0, height = 0, width = 0;
  std::vector<double> data;
  double& at(int64_t b, int64_t c, int64_t y, int64_t x) {
    return data[static_cast<size_t>(((b * channels + c) * height + y) * width + x)];
  }
};

// The definition: seven loops, zero padding by bounds checks.
Tensor DirectConv(Tensor& in, int64_t out_channels, const float* weights, const float* biases) {
  Tensor out{in.batch, out_channels, in.height, in.width, {}};
  out.data.resize(static_cast<size_t>(in.batch * out_channels * in.height * in.width));
  for (int64_t b = 0; b < in.batch; ++b)
    for (int64_t co = 0; co < out_channels; ++co)
      for (int64_t y = 0; y < in.height; ++y)
        for (int64_t x = 0; x < in.width; ++x) {
          double sum = biases[co];
          for (int64_t ci = 0; ci < in.channels; ++ci)
            for (int64_t ky = 0; ky < 3; ++ky)
              for (int64_t kx = 0; kx < 3; ++kx) {
                const int64_t sy = y + ky - 1, sx = x + kx - 1;
                if (sy < 0 || sy >= in.height || sx < 0 || sx >= in.width) continue;
                sum += weights[((co * in.channels + ci) * 3 + ky) * 3 + kx] * in.at(b, ci, sy, sx);
              }
          out.at(b, co, y, x) = sum;
        }
  return out;
}

Tensor DirectPool(Tensor& in, int64_t k) {
  Tensor out{in.batch, in.channels, in.height / k, in.width / k, {}};
  out.data.resize(static_cast<size_t>(out.batch * out.channels * out.height * out.width));
  for (int64_t b = 0; b < in.batch; ++b)
    for (int64_t c = 0; c < in.channels; ++c)
      for (int64_t y = 0; y < out.height; ++y)
        for (int64_t x = 0; x < out.width; ++x) {
          double best = in.at(b, c, y * k, x * k);
          for (int64_t dy = 0; dy < k; ++dy)
            for (int64_t dx = 0; dx < k; ++dx)
              best = std::max(best, in.at(b, c, y * k + dy, x * k + dx));
          out.at(b, c, y, x) = best;
        }
  return out;
}

// The whole network by the definitions, reading weights where the kernel
// documents them: after the image, each array 64-byte aligned.
std::vector<double> ReferenceForward(const testing::KernelRun& run) {
  const KernelParams& p = run.params();
  Tensor t{p.batch(), p.channels(), p.height(), p.width(), {}};
  const float* image = run.input<float>();
  t.data.assign(image, image + p.batch() * p.channels() * p.height() * p.width());
  size_t offset = AlignUp(t.data.size() * sizeof(float));
  const std::vector<ConvLayerShape> layers = ConvShapes(p).value();
  for (const ConvLayerShape& layer : layers) {
    if (layer.kind == ConvLayerKind::kPool) {
      t = DirectPool(t, layer.size);
      continue;
    }
    const float* weights = run.input_at<float>(offset);
    offset += AlignUp(static_cast<size_t>(9 * layer.in_channels * layer.channels) * 4);
    const float* biases = run.input_at<float>(offset);
    offset += AlignUp(static_cast<size_t>(layer.channels) * 4);
    t = DirectConv(t, layer.channels, weights, biases);
  }
  return t.data;
}

KernelParams Tiny(const std::string& layers) {
  KernelParams params = ConvKernel().Defaults();
  params.set_batch(2);
  params.set_channels(2);
  params.set_height(5);
  params.set_width(7);
  params.set_layers(layers);
  return params;
}

TEST(ConvTest, MatchesDirectConvolutionAndPooling) {
  ConvKernel kernel;
  for (const char* layers : {"c3", "c3,p2,c4", "p2,c3", "c3,c2,p3", "c1,p1"}) {
    testing::KernelRun run(kernel, Tiny(layers));
    ASSERT_TRUE(kernel.Validate(run.params()).ok()) << layers;
    const KernelResult result = run.Run();
    const std::vector<double> expected = ReferenceForward(run);
    const std::vector<float> got = run.output<float>();
    ASSERT_EQ(got.size(), expected.size()) << layers;
    double sum = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(testing::Near(got[i], expected[i], 1e-5)) << layers << " at " << i;
      sum += expected[i];
    }
    EXPECT_TRUE(testing::Near(result.checksum, sum, 1e-4)) << layers;
  }
}

TEST(ConvTest, InputHoldsImageThenEachConvolutionsParameters) {
  ConvKernel kernel;
  const KernelParams params = Tiny("c3,p2,c4");
  // image 2·2·5·7 floats = 560 B → 576; conv1 9·2·3 weights = 216 B → 256,
  // 3 biases → 64; conv3 9·3·4 weights = 432 B → 448, 4 biases → 64.
  EXPECT_EQ(kernel.InputBytes(params), 576u + 256 + 64 + 448 + 64);
  EXPECT_EQ(kernel.OutputBytes(params), 2u * 4 * 2 * 3 * 4);
}

TEST(ConvTest, TimesEveryLayerAndTheFinalReorder) {
  ConvKernel kernel;
  testing::KernelRun run(kernel, Tiny("c3,p2,c4"));
  const KernelResult result = run.Run();
  std::vector<std::string> names;
  for (const StageTime& stage : result.stages) {
    names.push_back(stage.name);
    EXPECT_GE(stage.ns, 0);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"conv1 im2col", "conv1 gemm", "pool2", "conv3 im2col",
                                             "conv3 gemm", "output"}));
  const std::vector<ConvLayerShape> shapes = ConvShapes(run.params()).value();
  EXPECT_DOUBLE_EQ(result.flops, shapes[0].flops + shapes[2].flops);
}

TEST(ConvTest, SameOutputOnOneAndTwoThreadsAndAfterOtherSizes) {
  ConvKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_batch(3);
  params.set_height(20);
  params.set_width(20);
  testing::KernelRun run(kernel, params);
  run.Run(1);
  const std::vector<float> one = run.output<float>();
  testing::KernelRun tiny(kernel, Tiny("c3"));  // shrinks nothing: scratch is kept
  tiny.Run(2);
  run.Run(2);
  const std::vector<float> two = run.output<float>();
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) ASSERT_TRUE(testing::Near(one[i], two[i], 1e-5)) << i;
}

TEST(ConvTest, ValidateRefusesAbsurdMemory) {
  ConvKernel kernel;
  KernelParams params = kernel.Defaults();
  params.set_batch(65'536);
  params.set_height(1024);
  params.set_width(1024);
  const Status status = kernel.Validate(params);
  EXPECT_NE(status.message().find("conv: this network needs"), std::string::npos)
      << status.message();
  params.set_layers("c32,q");
  EXPECT_NE(kernel.Validate(params).message().find("'q'"), std::string::npos);
}

}  // namespace
}  // namespace parlab
