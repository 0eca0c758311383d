#pragma once
// The shapes of the conv kernel's network, layer by layer, worked out from a
// params object alone: what `parlab memory` prints and what the conv kernel
// sizes its buffers from. Pure functions; safe from any thread.
//
// `layers` is a comma-separated list (spaces around tokens are ignored):
//   cN  a 3×3 convolution, padding 1, stride 1, to N output channels, plus a
//       bias per channel (no activation function);
//   pK  K×K max pooling, stride K; the output is floor(H/K)×floor(W/K).
// All tensors are float32.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

enum class ConvLayerKind { kConv, kPool };

struct ConvLayerShape {
  std::string name;   // kind and 1-based position in `layers`: "conv1", "pool2"
  std::string token;  // as written: "c32", "p2"
  ConvLayerKind kind = ConvLayerKind::kConv;
  int64_t size = 0;  // conv: output channels; pool: window side
  // One image's input and output (batch comes from params).
  int64_t in_channels = 0, in_height = 0, in_width = 0;
  int64_t channels = 0, height = 0, width = 0;
  size_t param_bytes = 0;   // conv: weights 9·in_channels·channels + biases channels; pool: 0
  size_t output_bytes = 0;  // batch·channels·height·width floats
  size_t im2col_bytes = 0;  // conv: (9·in_channels) × (batch·height·width) floats; pool: 0
  double flops = 0;  // conv: GEMM 2·(9·in_channels)·channels·batch·H·W plus biases; pool: 0
};

// Checks batch (1..65536), channels (1..4096), height and width (1..16384)
// and parses `layers`; the error names the field or the bad token:
// "conv: layers: bad layer 'x5' at position 2; want cN or pK, e.g. c32,p2,c64".
Result<std::vector<ConvLayerShape>> ConvShapes(const KernelParams& params);

// The bytes of the input image, batch·channels·height·width floats.
size_t ConvImageBytes(const KernelParams& params);

}  // namespace parlab
