#include "shared/kernels/conv_shapes.h"

#include <gtest/gtest.h>

#include "shared/kernels/conv.h"

namespace parlab {
namespace {

KernelParams WithLayers(const std::string& layers) {
  KernelParams params = ConvKernel().Defaults();
  params.set_layers(layers);
  return params;
}

std::string ErrorOf(const KernelParams& params) {
  Result<std::vector<ConvLayerShape>> shapes = ConvShapes(params);
  return shapes.ok() ? "ok" : shapes.status().message();
}

TEST(ConvShapesTest, NotebookNetworkByHand) {
  // 32 images 3×64×64 through c32,p2,c64,p2,c128.
  const KernelParams params = ConvKernel().Defaults();
  Result<std::vector<ConvLayerShape>> shapes = ConvShapes(params);
  ASSERT_TRUE(shapes.ok()) << shapes.status().ToString();
  ASSERT_EQ(shapes->size(), 5u);
  const std::vector<ConvLayerShape>& s = *shapes;

  EXPECT_EQ(s[0].name, "conv1");
  EXPECT_EQ(s[0].token, "c32");
  EXPECT_EQ(s[0].kind, ConvLayerKind::kConv);
  EXPECT_EQ(s[0].in_channels, 3);
  EXPECT_EQ(s[0].channels, 32);
  EXPECT_EQ(s[0].height, 64);
  EXPECT_EQ(s[0].width, 64);
  EXPECT_EQ(s[0].param_bytes, (27u * 32 + 32) * 4);        // 3,584
  EXPECT_EQ(s[0].output_bytes, 32u * 32 * 64 * 64 * 4);    // 16 MiB
  EXPECT_EQ(s[0].im2col_bytes, 27u * (32 * 64 * 64) * 4);  // 13.5 MiB
  EXPECT_DOUBLE_EQ(s[0].flops, 2.0 * 27 * 32 * 131072 + 32.0 * 131072);

  EXPECT_EQ(s[1].name, "pool2");
  EXPECT_EQ(s[1].kind, ConvLayerKind::kPool);
  EXPECT_EQ(s[1].size, 2);
  EXPECT_EQ(s[1].channels, 32);
  EXPECT_EQ(s[1].height, 32);
  EXPECT_EQ(s[1].width, 32);
  EXPECT_EQ(s[1].param_bytes, 0u);
  EXPECT_EQ(s[1].im2col_bytes, 0u);
  EXPECT_EQ(s[1].output_bytes, 32u * 32 * 32 * 32 * 4);  // 4 MiB

  EXPECT_EQ(s[2].name, "conv3");
  EXPECT_EQ(s[2].in_channels, 32);
  EXPECT_EQ(s[2].channels, 64);
  EXPECT_EQ(s[2].height, 32);
  EXPECT_EQ(s[2].param_bytes, (288u * 64 + 64) * 4);        // 73,984
  EXPECT_EQ(s[2].output_bytes, 32u * 64 * 32 * 32 * 4);     // 8 MiB
  EXPECT_EQ(s[2].im2col_bytes, 288u * (32 * 32 * 32) * 4);  // 36 MiB

  EXPECT_EQ(s[3].name, "pool4");
  EXPECT_EQ(s[3].channels, 64);
  EXPECT_EQ(s[3].height, 16);
  EXPECT_EQ(s[3].width, 16);
  EXPECT_EQ(s[3].output_bytes, 32u * 64 * 16 * 16 * 4);  // 2 MiB

  EXPECT_EQ(s[4].name, "conv5");
  EXPECT_EQ(s[4].in_channels, 64);
  EXPECT_EQ(s[4].channels, 128);
  EXPECT_EQ(s[4].height, 16);
  EXPECT_EQ(s[4].width, 16);
  EXPECT_EQ(s[4].param_bytes, (576u * 128 + 128) * 4);      // 295,424
  EXPECT_EQ(s[4].output_bytes, 32u * 128 * 16 * 16 * 4);    // 4 MiB
  EXPECT_EQ(s[4].im2col_bytes, 576u * (32 * 16 * 16) * 4);  // 18 MiB
}

TEST(ConvShapesTest, PoolingFloorsOddSizesAndSpacesAreIgnored) {
  KernelParams params = WithLayers(" p3 , c4 ");
  params.set_height(7);
  params.set_width(5);
  Result<std::vector<ConvLayerShape>> shapes = ConvShapes(params);
  ASSERT_TRUE(shapes.ok()) << shapes.status().ToString();
  EXPECT_EQ((*shapes)[0].token, "p3");
  EXPECT_EQ((*shapes)[0].height, 2);
  EXPECT_EQ((*shapes)[0].width, 1);
  EXPECT_EQ((*shapes)[1].in_channels, 3);
  EXPECT_EQ((*shapes)[1].channels, 4);
  EXPECT_EQ(ConvImageBytes(params), 32u * 3 * 7 * 5 * 4);
}

TEST(ConvShapesTest, BadTokensAreNamed) {
  EXPECT_EQ(ErrorOf(WithLayers("c32,x5")),
            "conv: layers: bad layer 'x5' at position 2; want cN (3x3 convolution to N "
            "channels) or pK (KxK max pooling), e.g. c32,p2,c64");
  EXPECT_NE(ErrorOf(WithLayers("c32,,p2")).find("bad layer '' at position 2"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("c")).find("'c'"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("c-3")).find("'c-3'"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("c3x")).find("'c3x'"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("C32")).find("'C32'"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("c99999999999")).find("'c99999999999'"), std::string::npos);
  EXPECT_NE(ErrorOf(WithLayers("c0")).find("'c0' at position 1; a convolution needs 1..4096"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(WithLayers("p2,p2,p2,p2,p2,p2,p2")),
            "conv: layers: bad layer 'p2' at position 7; the pooling window must be 1..1 for its "
            "1x1 input");
  EXPECT_NE(ErrorOf(WithLayers("p0")).find("'p0'"), std::string::npos);
  EXPECT_EQ(ErrorOf(WithLayers(" ")),
            "conv: layers must list at least one layer, e.g. \"c32,p2,c64\"");
}

TEST(ConvShapesTest, SizesAreNamed) {
  KernelParams params = ConvKernel().Defaults();
  params.set_batch(0);
  EXPECT_EQ(ErrorOf(params), "conv: batch must be 1..65536, got 0");
  params = ConvKernel().Defaults();
  params.set_channels(5000);
  EXPECT_EQ(ErrorOf(params), "conv: channels must be 1..4096, got 5000");
  params = ConvKernel().Defaults();
  params.set_height(-1);
  EXPECT_EQ(ErrorOf(params), "conv: height must be 1..16384, got -1");
  params = ConvKernel().Defaults();
  params.set_width(0);
  EXPECT_EQ(ErrorOf(params), "conv: width must be 1..16384, got 0");
}

}  // namespace
}  // namespace parlab
