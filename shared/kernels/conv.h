#pragma once
// conv: the forward pass of a small CNN in float32, each 3×3 convolution as
// im2col + GEMM (as Caffe and PyTorch's CPU path do), the notebook's
// "deep learning" workload. Defaults: a batch of 32 images, 3×64×64, through
// "c32,p2,c64,p2,c128" (see conv_shapes.h for the layer grammar).
//
// Input buffer: the image batch (NCHW), then for each convolution its weights
// (out_channels × in_channels × 3 × 3) and biases (out_channels), each array
// 64-byte aligned; weights and biases are made from the seed like the image.
// Output: the last layer's activation, NCHW. Inside, activations are kept
// channel-major (C × batch × H × W), which is what one GEMM over the whole
// batch produces; the final reorder to NCHW is its own stage, "output".
// Scratch (im2col matrix, two activations) is thread_local and kept between
// calls. Stages: "conv1 im2col", "conv1 gemm", "pool2", ..., "output".
// Releases the global lock; uses context.threads OpenMP threads.

#include "shared/kernels/kernel.h"

namespace parlab {

class ConvKernel final : public Kernel {
 public:
  std::string_view name() const override { return "conv"; }
  std::string_view description() const override {
    return "CNN forward pass, im2col + GEMM in float32";
  }
  KernelParams Defaults() const override;
  // As ConvShapes(), plus input, output and scratch at most 64 GiB.
  Status Validate(const KernelParams& params) const override;
  size_t InputBytes(const KernelParams& params) const override;
  size_t OutputBytes(const KernelParams& params) const override;
  void FillInput(const KernelParams& params, MutableBytes input) const override;
  // checksum = sum of the output; flops = the GEMMs' and biases'; bytes = input + output.
  KernelResult Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                   const KernelContext& context) const override;
  bool ReleasesGlobalLock() const override { return true; }
  bool UsesThreads() const override { return true; }
};

}  // namespace parlab
