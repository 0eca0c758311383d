#include "shared/kernels/conv_shapes.h"

#include <algorithm>
#include <string_view>

#include "shared/kernels/kernel_checks.h"

namespace parlab {
namespace {

constexpr int64_t kMaxConvChannels = 4096;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The number after the layer's letter: 1..9 decimal digits, nothing else; -1 otherwise.
int64_t ParseCount(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return -1;
  int64_t value = 0;
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return -1;
    value = value * 10 + (ch - '0');
  }
  return value;
}

Status BadLayer(std::string_view token, size_t position, std::string_view why) {
  return InvalidArgument("conv: layers: bad layer '" + std::string(token) + "' at position " +
                         std::to_string(position) + "; " + std::string(why));
}

}  // namespace

size_t ConvImageBytes(const KernelParams& params) {
  return static_cast<size_t>(params.batch() * params.channels() * params.height() *
                             params.width()) *
         sizeof(float);
}

Result<std::vector<ConvLayerShape>> ConvShapes(const KernelParams& params) {
  // These bounds keep every product below (sizes ≤ 2^44 elements per tensor,
  // 9·4096 rows of im2col) far from int64 overflow; the memory check comes after.
  PARLAB_RETURN_IF_ERROR(CheckRange("conv", "batch", params.batch(), 1, 65'536));
  PARLAB_RETURN_IF_ERROR(CheckRange("conv", "channels", params.channels(), 1, kMaxConvChannels));
  PARLAB_RETURN_IF_ERROR(CheckRange("conv", "height", params.height(), 1, 16'384));
  PARLAB_RETURN_IF_ERROR(CheckRange("conv", "width", params.width(), 1, 16'384));
  if (Trim(params.layers()).empty()) {
    return InvalidArgument("conv: layers must list at least one layer, e.g. \"c32,p2,c64\"");
  }

  std::vector<ConvLayerShape> shapes;
  int64_t channels = params.channels();
  int64_t height = params.height();
  int64_t width = params.width();
  const int64_t batch = params.batch();
  std::string_view rest = params.layers();
  size_t position = 0;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view token = Trim(rest.substr(0, comma));
    ++position;
    const int64_t count = token.empty() ? -1 : ParseCount(token.substr(1));
    if (token.empty() || (token[0] != 'c' && token[0] != 'p') || count < 0) {
      return BadLayer(token, position,
                      "want cN (3x3 convolution to N channels) or pK (KxK max "
                      "pooling), e.g. c32,p2,c64");
    }
    ConvLayerShape shape;
    shape.token = std::string(token);
    shape.size = count;
    shape.in_channels = channels;
    shape.in_height = height;
    shape.in_width = width;
    if (token[0] == 'c') {
      if (count < 1 || count > kMaxConvChannels) {
        return BadLayer(token, position, "a convolution needs 1..4096 output channels");
      }
      shape.kind = ConvLayerKind::kConv;
      shape.name = "conv" + std::to_string(position);
      shape.channels = count;
      shape.height = height;
      shape.width = width;
      const int64_t depth = 9 * channels;  // im2col rows: in_channels × 3 × 3
      const int64_t pixels = batch * height * width;
      shape.param_bytes = static_cast<size_t>(depth * count + count) * sizeof(float);
      shape.im2col_bytes = static_cast<size_t>(depth * pixels) * sizeof(float);
      shape.flops = 2.0 * static_cast<double>(depth) * static_cast<double>(count) *
                        static_cast<double>(pixels) +
                    static_cast<double>(count) * static_cast<double>(pixels);
    } else {
      if (count < 1 || count > std::min(height, width)) {
        return BadLayer(token, position,
                        "the pooling window must be 1.." + std::to_string(std::min(height, width)) +
                            " for its " + std::to_string(height) + "x" + std::to_string(width) +
                            " input");
      }
      shape.kind = ConvLayerKind::kPool;
      shape.name = "pool" + std::to_string(position);
      shape.channels = channels;
      shape.height = height / count;
      shape.width = width / count;
    }
    shape.output_bytes =
        static_cast<size_t>(batch * shape.channels * shape.height * shape.width) * sizeof(float);
    channels = shape.channels;
    height = shape.height;
    width = shape.width;
    shapes.push_back(std::move(shape));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return shapes;
}

}  // namespace parlab
