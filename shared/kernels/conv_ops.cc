#include "shared/kernels/conv_ops.h"

#include <algorithm>
#include <cstring>

namespace parlab {

TensorView NchwView(const float* data, int64_t batch, int64_t channels, int64_t height,
                    int64_t width) {
  return {data, batch, channels, height, width, height * width, channels * height * width};
}

TensorView ChannelMajorView(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width) {
  return {data, batch, channels, height, width, batch * height * width, height * width};
}

void Im2col3x3(const TensorView& in, float* col, int threads) {
  const int64_t h = in.height;
  const int64_t w = in.width;
  const int64_t columns = in.batch * h * w;
  const int64_t rows = 9 * in.channels;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t c = r / 9;
    const int64_t ky = r % 9 / 3;
    const int64_t kx = r % 3;
    // Output x reads input x + kx - 1; outside [lo, hi) that is padding.
    const int64_t lo = std::max<int64_t>(0, 1 - kx);
    const int64_t hi = std::min<int64_t>(w, w + 1 - kx);
    float* row = col + r * columns;
    for (int64_t b = 0; b < in.batch; ++b) {
      const float* plane = in.data + c * in.channel_stride + b * in.batch_stride;
      for (int64_t y = 0; y < h; ++y) {
        float* dst = row + (b * h + y) * w;
        const int64_t sy = y + ky - 1;
        if (sy < 0 || sy >= h) {
          std::fill(dst, dst + w, 0.0f);
          continue;
        }
        const float* src = plane + sy * w + (lo + kx - 1);  // input of output x = lo
        std::fill(dst, dst + lo, 0.0f);
        std::memcpy(dst + lo, src, static_cast<size_t>(hi - lo) * sizeof(float));
        std::fill(dst + hi, dst + w, 0.0f);
      }
    }
  }
}

void MaxPool(const TensorView& in, int64_t window, float* out, int threads) {
  const int64_t out_h = in.height / window;
  const int64_t out_w = in.width / window;
  const int64_t planes = in.channels * in.batch;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t p = 0; p < planes; ++p) {
    const int64_t c = p / in.batch;
    const int64_t b = p % in.batch;
    const float* plane = in.data + c * in.channel_stride + b * in.batch_stride;
    float* dst = out + p * out_h * out_w;
    for (int64_t oy = 0; oy < out_h; ++oy) {
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const float* corner = plane + oy * window * in.width + ox * window;
        float best = corner[0];
        for (int64_t dy = 0; dy < window; ++dy) {
          for (int64_t dx = 0; dx < window; ++dx) {
            best = std::max(best, corner[dy * in.width + dx]);
          }
        }
        dst[oy * out_w + ox] = best;
      }
    }
  }
}

}  // namespace parlab
