#pragma once
// The arithmetic of `parlab memory`, the notebook's section 3.3: how many
// bytes an n×n matrix takes per element type, and what a CNN forward pass
// needs layer by layer (parameters, output, im2col buffer) — the notebook's
// estimate_cnn_memory, with every part shown and the input row's real size
// (the notebook prints one element's size there). Pure; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

// The notebook's estimate_memory: "512 B", "1.50 KB", "3.81 MB", "1.20 GB"
// (powers of 1024, two decimals, B below 1 KB).
std::string FormatBytes(double bytes);

struct MatrixTypeSize {
  std::string name;        // numpy's name: float16, float32, float64, int32, int64
  std::string eigen_type;  // what parlab allocates: Eigen::half, float, double, int32_t, int64_t
  size_t element_bytes = 0;
  size_t bytes = 0;  // n·n·element_bytes
};

// The five types of the notebook, in its order.
std::vector<MatrixTypeSize> MatrixTypeSizes(int64_t n);

struct CnnRow {
  std::string name;         // "input", "conv1 (32ch, 3x3)", "pool2 (2x2)"
  std::string shape;        // the output, NCHW as numpy prints it: "(32, 32, 64, 64)"
  size_t param_bytes = 0;   // weights and biases
  size_t output_bytes = 0;  // the activation it produces (input: the image batch)
  size_t im2col_bytes = 0;  // the unrolled input a convolution multiplies
  size_t total_bytes() const { return param_bytes + output_bytes + im2col_bytes; }
};

struct CnnEstimate {
  std::vector<CnnRow> rows;  // "input" first, then one per layer
  // The notebook's total: every row's parts, as if all were alive at once.
  size_t total_bytes = 0;
  // What parlab's conv kernel keeps alive at its peak (buffers are reused):
  // its input buffer (image + parameters, arrays 64-byte aligned), its output,
  // one im2col buffer of the largest layer's size and two activation buffers
  // of the largest output's size (conv.h).
  size_t kernel_input_bytes = 0;
  size_t kernel_output_bytes = 0;
  size_t kernel_scratch_bytes = 0;
  size_t kernel_live_bytes() const {
    return kernel_input_bytes + kernel_output_bytes + kernel_scratch_bytes;
  }
};

// For a conv workload's params (batch, channels, height, width, layers);
// invalid params give the conv kernel's own error.
Result<CnnEstimate> EstimateCnn(const KernelParams& conv);

}  // namespace parlab
