#pragma once
// The pieces every chart of `parlab report` is drawn with: escaping, scales
// with round ticks, and an SVG canvas that writes elements as text. Every
// string that comes from data goes through HtmlEscape, so a workload name or
// an error message cannot open a tag in the page. Values and pure functions;
// safe from any thread.

#include <string>
#include <string_view>
#include <vector>

namespace parlab {

// & < > " ' as entities: safe in element text and in quoted attributes.
std::string HtmlEscape(std::string_view text);

// A number for an SVG attribute: at most 2 decimals, no exponent, "0" for
// anything not finite (an attribute must never read "nan").
std::string SvgNumber(double value);

// Maps [domain_lo, domain_hi] onto [range_lo, range_hi], linearly or, with
// `log`, by log10 (the domain must then be positive; values at or below 0
// map to range_lo). A zero-width domain maps everything to the middle.
class Scale {
 public:
  Scale(double domain_lo, double domain_hi, double range_lo, double range_hi, bool log = false);
  double operator()(double value) const;
  double domain_lo() const { return domain_lo_; }
  double domain_hi() const { return domain_hi_; }
  double range_lo() const { return range_lo_; }
  double range_hi() const { return range_hi_; }

 private:
  double domain_lo_, domain_hi_, range_lo_, range_hi_;
  bool log_;
};

// About `count` round ticks (1, 2 or 5 × 10^k apart) covering [lo, hi]: the
// first at or below lo, the last at or above hi. lo == hi gives one tick
// span around it; non-finite input gives {0, 1}.
std::vector<double> NiceTicks(double lo, double hi, int count);

// A tick's label: "0.5", "20", "1.5k", "2M"; no more digits than needed.
std::string TickLabel(double value);

// The colours of series and phases, picked for contrast on white and for
// colour-blind readers (Okabe & Ito's palette). Index wraps.
std::string_view SeriesColour(size_t index);

// An <svg class="chart"> of a fixed size that elements are appended to as
// text. The page's self-check counts svg.chart elements and measures them.
class SvgCanvas {
 public:
  SvgCanvas(int width, int height, std::string_view title);

  int width() const { return width_; }
  int height() const { return height_; }

  // `css_class` and colours are ours, never data; `tooltip` and `text` are
  // escaped here.
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width = 1, std::string_view dash = "");
  void Rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view tooltip = "");
  void Circle(double cx, double cy, double r, std::string_view fill, std::string_view tooltip = "");
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                double stroke_width = 2, std::string_view dash = "");
  // anchor: "start", "middle" or "end".
  void Text(double x, double y, std::string_view text, std::string_view anchor = "start",
            int font_px = 11, std::string_view fill = "#333", double rotate = 0);

  // Axes on the plot area the scales' ranges span: grid lines and tick labels
  // at `x_ticks` and `y_ticks` (through the scales), and both titles.
  void Axes(const Scale& x, const Scale& y, const std::vector<double>& x_ticks,
            const std::vector<double>& y_ticks, std::string_view x_title, std::string_view y_title);

  // A legend from (x, y) down: a swatch and a label per entry, wrapped into
  // rows of LegendRowHeight() within the canvas's width.
  void Legend(double x, double y, const std::vector<std::pair<std::string, std::string>>& entries);
  // How many rows Legend() takes for `entries` from `x` on a canvas `width` wide.
  static int LegendRows(double x, int width,
                        const std::vector<std::pair<std::string, std::string>>& entries);
  static constexpr int kLegendRowHeight = 16;

  // The whole element, closed.
  std::string Finish() const;

 private:
  int width_;
  int height_;
  std::string body_;
};

}  // namespace parlab
