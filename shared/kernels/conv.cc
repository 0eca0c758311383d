#include "shared/kernels/conv.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/conv_ops.h"
#include "shared/kernels/conv_shapes.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/random.h"
#include "shared/kernels/scratch_buffer.h"
#include "shared/kernels/stage_timer.h"

namespace parlab {
namespace {

using ConstFloatMatrixMap = Eigen::Map<const Eigen::MatrixXf, Eigen::Aligned64>;
using FloatMatrixMap = Eigen::Map<Eigen::MatrixXf, Eigen::Aligned64>;
using ConstFloatRowMap = Eigen::Map<const Eigen::RowVectorXf, Eigen::Aligned64>;

// Where a convolution's weights and biases sit in the input buffer.
struct ParamOffsets {
  size_t weights = 0;
  size_t biases = 0;
};

struct InputLayout {
  std::vector<ParamOffsets> offsets;  // one per layer; {0, 0} for pooling layers
  size_t total_bytes = 0;
};

size_t WeightCount(const ConvLayerShape& layer) {
  return static_cast<size_t>(9 * layer.in_channels * layer.channels);
}

// The image first, then weights and biases of each convolution in order, each
// array 64-byte aligned.
InputLayout LayOut(const KernelParams& params, const std::vector<ConvLayerShape>& layers) {
  InputLayout layout;
  layout.offsets.resize(layers.size());
  size_t at = AlignUp64(ConvImageBytes(params));
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].kind != ConvLayerKind::kConv) continue;
    layout.offsets[i].weights = at;
    at += AlignUp64(WeightCount(layers[i]) * sizeof(float));
    layout.offsets[i].biases = at;
    at += AlignUp64(static_cast<size_t>(layers[i].channels) * sizeof(float));
  }
  layout.total_bytes = at;
  return layout;
}

struct ScratchSizes {
  size_t im2col_bytes = 0;
  size_t activation_bytes = 0;
};

ScratchSizes MaxScratch(const std::vector<ConvLayerShape>& layers) {
  ScratchSizes sizes;
  for (const ConvLayerShape& layer : layers) {
    sizes.im2col_bytes = std::max(sizes.im2col_bytes, layer.im2col_bytes);
    sizes.activation_bytes = std::max(sizes.activation_bytes, layer.output_bytes);
  }
  return sizes;
}

// Runs one convolution: im2col of `in`, then out (channel-major) = W·col + b
// as one GEMM over the whole batch, (batch·H·W × 9C) · (9C × N).
void Convolve(const ConvLayerShape& layer, const TensorView& in, const float* weights,
              const float* biases, float* col, float* out, int threads, StageTimer& timer) {
  Im2col3x3(in, col, threads);
  timer.End(layer.name + " im2col");
  const Eigen::Index pixels = in.batch * in.height * in.width;
  const Eigen::Index depth = 9 * layer.in_channels;
  ConstFloatMatrixMap col_t(col, pixels, depth);
  ConstFloatMatrixMap w_t(weights, depth, layer.channels);
  FloatMatrixMap out_t(out, pixels, layer.channels);
  out_t.noalias() = col_t * w_t;
  out_t.rowwise() += ConstFloatRowMap(biases, layer.channels);
  timer.End(layer.name + " gemm");
}

}  // namespace

KernelParams ConvKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_batch(32);
  params.set_channels(3);
  params.set_height(64);
  params.set_width(64);
  params.set_layers("c32,p2,c64,p2,c128");
  return params;
}

Status ConvKernel::Validate(const KernelParams& params) const {
  PARLAB_ASSIGN_OR_RETURN(std::vector<ConvLayerShape> layers, ConvShapes(params));
  const ScratchSizes scratch = MaxScratch(layers);
  const double bytes = static_cast<double>(LayOut(params, layers).total_bytes) +
                       static_cast<double>(layers.back().output_bytes) +
                       static_cast<double>(scratch.im2col_bytes) +
                       2 * static_cast<double>(scratch.activation_bytes);
  return CheckMemory(name(), "this network", bytes);
}

size_t ConvKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return LayOut(params, ConvShapes(params).value()).total_bytes;
}

size_t ConvKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return ConvShapes(params)->back().output_bytes;
}

void ConvKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  const std::vector<ConvLayerShape> layers = ConvShapes(params).value();
  const InputLayout layout = LayOut(params, layers);
  FillUniform(params.seed(), 0, ArrayAt<float>(input, 0), ConvImageBytes(params) / sizeof(float));
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].kind != ConvLayerKind::kConv) continue;
    const uint64_t stream = 1 + 2 * i;
    float* weights = ArrayAt<float>(input, layout.offsets[i].weights);
    const size_t count = WeightCount(layers[i]);
    FillUniform(params.seed(), stream, weights, count);
    // Uniform [-a, a) has variance a²/3; a = sqrt(3 / fan_in) makes it
    // 1 / fan_in, so activations keep their scale through layers that have
    // no activation function (no explosion, no vanishing to round-off).
    const auto scale =
        static_cast<float>(std::sqrt(3.0 / static_cast<double>(9 * layers[i].in_channels)));
    for (size_t j = 0; j < count; ++j) weights[j] *= scale;
    float* biases = ArrayAt<float>(input, layout.offsets[i].biases);
    const auto channels = static_cast<size_t>(layers[i].channels);
    FillUniform(params.seed(), stream + 1, biases, channels);
    for (size_t j = 0; j < channels; ++j) biases[j] *= 0.1f;
  }
}

KernelResult ConvKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                             const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  thread_local ScratchBuffer col_scratch;
  thread_local ScratchBuffer activation_scratch[2];

  SetOpenMpThreads(context.threads);
  const int threads = KernelThreads(context.threads);
  const std::vector<ConvLayerShape> layers = ConvShapes(params).value();
  const InputLayout layout = LayOut(params, layers);
  // Every scratch buffer at its largest before any is used: growing one later
  // would drop its contents.
  const ScratchSizes sizes = MaxScratch(layers);
  float* col = col_scratch.Get<float>(sizes.im2col_bytes / sizeof(float));
  float* activations[2] = {
      activation_scratch[0].Get<float>(sizes.activation_bytes / sizeof(float)),
      activation_scratch[1].Get<float>(sizes.activation_bytes / sizeof(float))};

  KernelResult result;
  result.stages.reserve(2 * layers.size() + 1);
  StageTimer timer(&result.stages);

  const int64_t batch = params.batch();
  TensorView current =
      NchwView(ArrayAt<float>(input, 0), batch, params.channels(), params.height(), params.width());
  for (size_t i = 0; i < layers.size(); ++i) {
    const ConvLayerShape& layer = layers[i];
    float* out = activations[i % 2];
    if (layer.kind == ConvLayerKind::kConv) {
      Convolve(layer, current, ArrayAt<float>(input, layout.offsets[i].weights),
               ArrayAt<float>(input, layout.offsets[i].biases), col, out, threads, timer);
      result.flops += layer.flops;
    } else {
      MaxPool(current, layer.size, out, threads);
      timer.End(layer.name);
    }
    current = ChannelMajorView(out, batch, layer.channels, layer.height, layer.width);
  }

  // Channel-major to NCHW: one contiguous H×W plane at a time.
  float* nchw = ArrayAt<float>(output, 0);
  const int64_t plane = current.height * current.width;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t c = 0; c < current.channels; ++c) {
      std::memcpy(nchw + (b * current.channels + c) * plane,
                  current.data + c * current.channel_stride + b * current.batch_stride,
                  static_cast<size_t>(plane) * sizeof(float));
    }
  }
  timer.End("output");

  const size_t output_count = layers.back().output_bytes / sizeof(float);
  double checksum = 0;
  for (size_t j = 0; j < output_count; ++j) checksum += nchw[j];
  result.checksum = checksum;
  result.bytes =
      static_cast<double>(layout.total_bytes) + static_cast<double>(layers.back().output_bytes);
  return result;
}

}  // namespace parlab
