#pragma once
// The conv kernel's two non-GEMM steps, on float32 tensors addressed through
// strides so that one function serves both the NCHW input and the
// channel-major activations. Internal to the kernels; thread-safe (no state).

#include <cstdint>

namespace parlab {

// A read-only view: element (c, b, y, x) is at
// data[c·channel_stride + b·batch_stride + y·width + x].
struct TensorView {
  const float* data = nullptr;
  int64_t batch = 0, channels = 0, height = 0, width = 0;
  int64_t channel_stride = 0, batch_stride = 0;
};

TensorView NchwView(const float* data, int64_t batch, int64_t channels, int64_t height,
                    int64_t width);
// Channel-major: C × batch × H × W, as the conv GEMM writes it.
TensorView ChannelMajorView(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width);

// Writes the 3×3, padding-1 im2col matrix of `in`: row r = (c·3 + ky)·3 + kx,
// column j = (b·H + y)·W + x, row-major (9·C rows of batch·H·W), so each row is
// filled by contiguous copies. Splits rows over `threads` OpenMP threads.
void Im2col3x3(const TensorView& in, float* col, int threads);

// K×K max pooling with stride K (floor), written channel-major to `out`.
void MaxPool(const TensorView& in, int64_t window, float* out, int threads);

}  // namespace parlab
