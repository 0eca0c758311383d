#include "coordinator/notebook/memory_estimate.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(MemoryEstimateTest, FormatBytesUsesTheNotebooksUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.00 KB");
  EXPECT_EQ(FormatBytes(1536), "1.50 KB");
  EXPECT_EQ(FormatBytes(2'000'000), "1.91 MB");
  EXPECT_EQ(FormatBytes(8'000'000), "7.63 MB");
  EXPECT_EQ(FormatBytes(3.0 * 1024 * 1024 * 1024), "3.00 GB");
}

TEST(MemoryEstimateTest, MatrixTypeSizesAreElementsTimesWidth) {
  const std::vector<MatrixTypeSize> sizes = MatrixTypeSizes(1000);
  ASSERT_EQ(sizes.size(), 5u);
  const char* names[] = {"float16", "float32", "float64", "int32", "int64"};
  const size_t widths[] = {2, 4, 8, 4, 8};
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(sizes[i].name, names[i]);
    EXPECT_EQ(sizes[i].element_bytes, widths[i]);
    EXPECT_EQ(sizes[i].bytes, 1'000'000 * widths[i]);
  }
  EXPECT_EQ(FormatBytes(static_cast<double>(sizes[0].bytes)), "1.91 MB");
  EXPECT_EQ(FormatBytes(static_cast<double>(sizes[2].bytes)), "7.63 MB");
}

KernelParams NotebookCnn() {
  KernelParams params;
  params.set_kernel("conv");
  params.set_batch(32);
  params.set_channels(3);
  params.set_height(64);
  params.set_width(64);
  params.set_layers("c32,p2,c64,p2,c128");
  return params;
}

// Every figure worked out by hand for the notebook's network, float32:
// conv params (9·Cin·Cout + Cout)·4, output B·C·H·W·4, im2col B·H·W·9·Cin·4.
TEST(MemoryEstimateTest, NotebookCnnByHand) {
  Result<CnnEstimate> estimate = EstimateCnn(NotebookCnn());
  ASSERT_TRUE(estimate.ok()) << estimate.status().ToString();
  const std::vector<CnnRow>& rows = estimate->rows;
  ASSERT_EQ(rows.size(), 6u);

  EXPECT_EQ(rows[0].name, "input");
  EXPECT_EQ(rows[0].shape, "(32, 3, 64, 64)");
  EXPECT_EQ(rows[0].output_bytes, 32u * 3 * 64 * 64 * 4);  // 1.50 MB, not one element
  EXPECT_EQ(FormatBytes(static_cast<double>(rows[0].total_bytes())), "1.50 MB");

  EXPECT_EQ(rows[1].name, "conv1 (32ch, 3x3)");
  EXPECT_EQ(rows[1].shape, "(32, 32, 64, 64)");
  EXPECT_EQ(rows[1].param_bytes, (32u * 3 * 9 + 32) * 4);  // 3584
  EXPECT_EQ(rows[1].output_bytes, 16'777'216u);
  EXPECT_EQ(rows[1].im2col_bytes, 14'155'776u);

  EXPECT_EQ(rows[2].name, "pool2 (2x2)");
  EXPECT_EQ(rows[2].shape, "(32, 32, 32, 32)");
  EXPECT_EQ(rows[2].param_bytes, 0u);
  EXPECT_EQ(rows[2].output_bytes, 4'194'304u);
  EXPECT_EQ(rows[2].im2col_bytes, 0u);

  EXPECT_EQ(rows[3].shape, "(32, 64, 32, 32)");
  EXPECT_EQ(rows[3].param_bytes, 73'984u);
  EXPECT_EQ(rows[3].output_bytes, 8'388'608u);
  EXPECT_EQ(rows[3].im2col_bytes, 37'748'736u);

  EXPECT_EQ(rows[4].shape, "(32, 64, 16, 16)");
  EXPECT_EQ(rows[4].output_bytes, 2'097'152u);

  EXPECT_EQ(rows[5].name, "conv5 (128ch, 3x3)");
  EXPECT_EQ(rows[5].shape, "(32, 128, 16, 16)");
  EXPECT_EQ(rows[5].param_bytes, 295'424u);
  EXPECT_EQ(rows[5].output_bytes, 4'194'304u);
  EXPECT_EQ(rows[5].im2col_bytes, 18'874'368u);

  EXPECT_EQ(estimate->total_bytes, 108'376'320u);
  EXPECT_EQ(FormatBytes(static_cast<double>(estimate->total_bytes)), "103.36 MB");

  // What the kernel keeps alive: image + weights + biases (each array padded
  // to 64 bytes), the last output, the largest im2col + 2 × the largest activation.
  EXPECT_EQ(estimate->kernel_input_bytes, 1'572'864u + 3'456 + 128 + 73'728 + 256 + 294'912 + 512);
  EXPECT_EQ(estimate->kernel_output_bytes, 4'194'304u);
  EXPECT_EQ(estimate->kernel_scratch_bytes, 37'748'736u + 2 * 16'777'216u);
  EXPECT_EQ(estimate->kernel_live_bytes(), estimate->kernel_input_bytes +
                                               estimate->kernel_output_bytes +
                                               estimate->kernel_scratch_bytes);
}

TEST(MemoryEstimateTest, BadShapeGivesTheKernelsError) {
  KernelParams params = NotebookCnn();
  params.set_layers("c32,x5");
  Result<CnnEstimate> estimate = EstimateCnn(params);
  ASSERT_FALSE(estimate.ok());
  EXPECT_EQ(estimate.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(estimate.status().message().find("x5"), std::string::npos);
  params = NotebookCnn();
  params.set_batch(0);
  EXPECT_FALSE(EstimateCnn(params).ok());
}

}  // namespace
}  // namespace parlab
