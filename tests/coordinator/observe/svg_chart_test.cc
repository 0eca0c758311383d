#include "coordinator/observe/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace parlab {
namespace {

TEST(SvgChartTest, HtmlEscapeReplacesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("plain µs text"), "plain µs text");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(SvgChartTest, SvgNumberNeverWritesNanOrExponents) {
  EXPECT_EQ(SvgNumber(12.5), "12.5");
  EXPECT_EQ(SvgNumber(3), "3");
  EXPECT_EQ(SvgNumber(1.0 / 3), "0.33");
  EXPECT_EQ(SvgNumber(-0.001), "0");
  EXPECT_EQ(SvgNumber(std::nan("")), "0");
  EXPECT_EQ(SvgNumber(std::numeric_limits<double>::infinity()), "0");
}

TEST(SvgChartTest, LinearScaleMapsEndsAndMiddle) {
  const Scale y(0, 10, 300, 100);  // SVG's y grows downwards
  EXPECT_DOUBLE_EQ(y(0), 300);
  EXPECT_DOUBLE_EQ(y(10), 100);
  EXPECT_DOUBLE_EQ(y(5), 200);
  const Scale flat(4, 4, 0, 100);
  EXPECT_DOUBLE_EQ(flat(4), 50);  // a zero-width domain: the middle, not a division by zero
}

TEST(SvgChartTest, LogScaleMapsDecadesEvenly) {
  const Scale x(1, 1000, 0, 300, /*log=*/true);
  EXPECT_NEAR(x(10), 100, 1e-9);
  EXPECT_NEAR(x(100), 200, 1e-9);
  EXPECT_DOUBLE_EQ(x(0), 0);  // not finite in log space: pinned to the start
}

TEST(SvgChartTest, NiceTicksAreRoundAndCoverTheRange) {
  const std::vector<double> ticks = NiceTicks(0, 7.3, 5);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(ticks.front(), 0);
  EXPECT_GE(ticks.back(), 7.3);
  EXPECT_EQ(ticks, (std::vector<double>{0, 2, 4, 6, 8}));
  const std::vector<double> small = NiceTicks(0, 0.3, 3);
  EXPECT_EQ(TickLabel(small[1]), "0.1");  // no 0.30000000000000004
  EXPECT_EQ(NiceTicks(5, 5, 4).size() >= 2, true);
  EXPECT_EQ(NiceTicks(std::nan(""), 1, 4), (std::vector<double>{0, 1}));
}

TEST(SvgChartTest, TickLabelsAreShort) {
  EXPECT_EQ(TickLabel(0), "0");
  EXPECT_EQ(TickLabel(20), "20");
  EXPECT_EQ(TickLabel(0.5), "0.5");
  EXPECT_EQ(TickLabel(15000), "15k");
  EXPECT_EQ(TickLabel(2e6), "2M");
}

TEST(SvgChartTest, CanvasEscapesTextAndTooltips) {
  SvgCanvas canvas(200, 100, "a <b> title");
  canvas.Text(10, 10, "<script>x</script>");
  canvas.Rect(0, 0, 10, 10, "#000", "tip \"quoted\" <i>");
  canvas.Circle(5, 5, 2, "#fff");
  const std::string svg = canvas.Finish();
  EXPECT_EQ(svg.rfind("<svg class=\"chart\" width=\"200\" height=\"100\"", 0), 0u) << svg;
  EXPECT_NE(svg.find("<title>a &lt;b&gt; title</title>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("tip &quot;quoted&quot; &lt;i&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("<i>"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(SvgChartTest, RectWidthIsNeverNegative) {
  SvgCanvas canvas(100, 100, "t");
  canvas.Rect(10, 10, -5, 3, "#000");
  EXPECT_NE(canvas.Finish().find("width=\"0\" height=\"3\""), std::string::npos);
}

}  // namespace
}  // namespace parlab
