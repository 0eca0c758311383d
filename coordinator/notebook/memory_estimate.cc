#include "coordinator/notebook/memory_estimate.h"

#include <fmt/format.h>

#include <Eigen/Core>
#include <algorithm>

#include "shared/kernels/conv_shapes.h"

namespace parlab {
namespace {

std::string Shape(int64_t batch, int64_t channels, int64_t height, int64_t width) {
  return fmt::format("({}, {}, {}, {})", batch, channels, height, width);
}

}  // namespace

std::string FormatBytes(double bytes) {
  constexpr double kKiB = 1024.0;
  if (bytes < kKiB) return fmt::format("{:.0f} B", bytes);
  if (bytes < kKiB * kKiB) return fmt::format("{:.2f} KB", bytes / kKiB);
  if (bytes < kKiB * kKiB * kKiB) return fmt::format("{:.2f} MB", bytes / (kKiB * kKiB));
  return fmt::format("{:.2f} GB", bytes / (kKiB * kKiB * kKiB));
}

std::vector<MatrixTypeSize> MatrixTypeSizes(int64_t n) {
  const auto count = static_cast<size_t>(n) * static_cast<size_t>(n);
  std::vector<MatrixTypeSize> sizes = {
      {"float16", "Eigen::half", sizeof(Eigen::half), 0}, {"float32", "float", sizeof(float), 0},
      {"float64", "double", sizeof(double), 0},           {"int32", "int32_t", sizeof(int32_t), 0},
      {"int64", "int64_t", sizeof(int64_t), 0},
  };
  for (MatrixTypeSize& size : sizes) size.bytes = count * size.element_bytes;
  return sizes;
}

Result<CnnEstimate> EstimateCnn(const KernelParams& conv) {
  const Kernel* kernel = FindKernel("conv");
  if (kernel == nullptr) return Internal("the conv kernel is not registered");
  KernelParams params = conv;
  params.set_kernel("conv");
  PARLAB_RETURN_IF_ERROR(kernel->Validate(params));
  PARLAB_ASSIGN_OR_RETURN(std::vector<ConvLayerShape> layers, ConvShapes(params));

  CnnEstimate estimate;
  CnnRow input;
  input.name = "input";
  input.shape = Shape(params.batch(), params.channels(), params.height(), params.width());
  input.output_bytes = ConvImageBytes(params);
  estimate.rows.push_back(input);
  size_t max_im2col = 0;
  size_t max_activation = 0;
  for (const ConvLayerShape& layer : layers) {
    CnnRow row;
    row.name = layer.kind == ConvLayerKind::kConv
                   ? fmt::format("{} ({}ch, 3x3)", layer.name, layer.channels)
                   : fmt::format("{} ({}x{})", layer.name, layer.size, layer.size);
    row.shape = Shape(params.batch(), layer.channels, layer.height, layer.width);
    row.param_bytes = layer.param_bytes;
    row.output_bytes = layer.output_bytes;
    row.im2col_bytes = layer.im2col_bytes;
    estimate.rows.push_back(row);
    max_im2col = std::max(max_im2col, layer.im2col_bytes);
    max_activation = std::max(max_activation, layer.output_bytes);
  }
  for (const CnnRow& row : estimate.rows) estimate.total_bytes += row.total_bytes();
  estimate.kernel_input_bytes = kernel->InputBytes(params);
  estimate.kernel_output_bytes = kernel->OutputBytes(params);
  estimate.kernel_scratch_bytes = max_im2col + 2 * max_activation;
  return estimate;
}

}  // namespace parlab
