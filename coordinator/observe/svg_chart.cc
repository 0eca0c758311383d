#include "coordinator/observe/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace parlab {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgNumber(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.2f}", value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

Scale::Scale(double domain_lo, double domain_hi, double range_lo, double range_hi, bool log)
    : domain_lo_(domain_lo),
      domain_hi_(domain_hi),
      range_lo_(range_lo),
      range_hi_(range_hi),
      log_(log) {}

double Scale::operator()(double value) const {
  double lo = domain_lo_;
  double hi = domain_hi_;
  double v = value;
  if (log_) {
    if (lo <= 0 || hi <= 0 || v <= 0) return range_lo_;
    lo = std::log10(lo);
    hi = std::log10(hi);
    v = std::log10(v);
  }
  if (!(hi != lo) || !std::isfinite(v)) return (range_lo_ + range_hi_) / 2;
  return range_lo_ + (v - lo) / (hi - lo) * (range_hi_ - range_lo_);
}

std::vector<double> NiceTicks(double lo, double hi, int count) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double half = lo == 0 ? 1 : std::abs(lo) / 2;
    lo -= half;
    hi += half;
  }
  const double raw = (hi - lo) / std::max(count, 1);
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(lo / step) * step;
  for (int i = 0; i < 1000; ++i) {
    const double tick = first + i * step;
    // Round off the accumulated error so 0.30000000000000004 prints as 0.3.
    ticks.push_back(std::round(tick / step) * step);
    if (tick >= hi - step * 1e-9) break;
  }
  return ticks;
}

std::string TickLabel(double value) {
  const double a = std::abs(value);
  auto trim = [](std::string text) {
    if (text.find('.') != std::string::npos) {
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
    }
    return text;
  };
  if (a >= 1e6) return trim(fmt::format("{:.2f}", value / 1e6)) + "M";
  if (a >= 1e4) return trim(fmt::format("{:.2f}", value / 1e3)) + "k";
  if (a == 0) return "0";
  if (a < 0.01) return fmt::format("{:.1e}", value);
  return trim(fmt::format("{:.3f}", value));
}

std::string_view SeriesColour(size_t index) {
  // Okabe & Ito (2008), "Color Universal Design", without the yellow that
  // vanishes on white.
  static constexpr std::string_view kColours[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                  "#CC79A7", "#56B4E9", "#000000", "#999999"};
  return kColours[index % (sizeof(kColours) / sizeof(kColours[0]))];
}

SvgCanvas::SvgCanvas(int width, int height, std::string_view title)
    : width_(width), height_(height) {
  body_ += fmt::format("<title>{}</title>\n", HtmlEscape(title));
}

void SvgCanvas::Line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     double stroke_width, std::string_view dash) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}")",
                       SvgNumber(x1), SvgNumber(y1), SvgNumber(x2), SvgNumber(y2), stroke,
                       SvgNumber(stroke_width));
  if (!dash.empty()) body_ += fmt::format(R"( stroke-dasharray="{}")", dash);
  body_ += "/>\n";
}

void SvgCanvas::Rect(double x, double y, double w, double h, std::string_view fill,
                     std::string_view tooltip) {
  body_ +=
      fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}")", SvgNumber(x),
                  SvgNumber(y), SvgNumber(std::max(w, 0.0)), SvgNumber(std::max(h, 0.0)), fill);
  if (tooltip.empty()) {
    body_ += "/>\n";
  } else {
    body_ += fmt::format("><title>{}</title></rect>\n", HtmlEscape(tooltip));
  }
}

void SvgCanvas::Circle(double cx, double cy, double r, std::string_view fill,
                       std::string_view tooltip) {
  body_ += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}")", SvgNumber(cx), SvgNumber(cy),
                       SvgNumber(r), fill);
  if (tooltip.empty()) {
    body_ += "/>\n";
  } else {
    body_ += fmt::format("><title>{}</title></circle>\n", HtmlEscape(tooltip));
  }
}

void SvgCanvas::Polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view stroke, double stroke_width, std::string_view dash) {
  if (points.size() < 2) return;
  std::string coordinates;
  for (const auto& [x, y] : points) {
    coordinates += (coordinates.empty() ? "" : " ") + SvgNumber(x) + "," + SvgNumber(y);
  }
  body_ += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="{}")",
                       coordinates, stroke, SvgNumber(stroke_width));
  if (!dash.empty()) body_ += fmt::format(R"( stroke-dasharray="{}")", dash);
  body_ += "/>\n";
}

void SvgCanvas::Text(double x, double y, std::string_view text, std::string_view anchor,
                     int font_px, std::string_view fill, double rotate) {
  body_ += fmt::format(R"(<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}")",
                       SvgNumber(x), SvgNumber(y), anchor, font_px, fill);
  if (rotate != 0) {
    body_ += fmt::format(" transform=\"rotate({} {} {})\"", SvgNumber(rotate), SvgNumber(x),
                         SvgNumber(y));
  }
  body_ += fmt::format(">{}</text>\n", HtmlEscape(text));
}

void SvgCanvas::Axes(const Scale& x, const Scale& y, const std::vector<double>& x_ticks,
                     const std::vector<double>& y_ticks, std::string_view x_title,
                     std::string_view y_title) {
  const double left = x.range_lo();
  const double right = x.range_hi();
  const double bottom = y.range_lo();
  const double top = y.range_hi();
  for (double tick : y_ticks) {
    const double py = y(tick);
    Line(left, py, right, py, "#e4e4e4");
    Text(left - 6, py + 4, TickLabel(tick), "end", 11, "#555");
  }
  for (double tick : x_ticks) {
    const double px = x(tick);
    Line(px, top, px, bottom, "#f0f0f0");
    Text(px, bottom + 16, TickLabel(tick), "middle", 11, "#555");
  }
  Line(left, bottom, right, bottom, "#888");
  Line(left, top, left, bottom, "#888");
  Text((left + right) / 2, bottom + 34, x_title, "middle", 12, "#333");
  Text(14, (top + bottom) / 2, y_title, "middle", 12, "#333", -90);
}

namespace {

// Where each legend entry goes: {x, row}. A label's width is estimated at
// 7 px a character (11 px sans-serif); an entry that would pass the right
// edge starts a new row.
std::vector<std::pair<double, int>> LegendLayout(
    double x, int width, const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<std::pair<double, int>> places;
  double at = x;
  int row = 0;
  for (const auto& entry : entries) {
    const double entry_width = 28 + 7 * static_cast<double>(entry.first.size());
    if (at > x && at + entry_width > width - 8) {
      at = x;
      ++row;
    }
    places.emplace_back(at, row);
    at += entry_width;
  }
  return places;
}

}  // namespace

void SvgCanvas::Legend(double x, double y,
                       const std::vector<std::pair<std::string, std::string>>& entries) {
  const std::vector<std::pair<double, int>> places = LegendLayout(x, width_, entries);
  for (size_t i = 0; i < entries.size(); ++i) {
    const double at = places[i].first;
    const double row_y = y + places[i].second * kLegendRowHeight;
    Rect(at, row_y - 9, 12, 12, entries[i].second);
    Text(at + 16, row_y + 1, entries[i].first, "start", 11, "#333");
  }
}

int SvgCanvas::LegendRows(double x, int width,
                          const std::vector<std::pair<std::string, std::string>>& entries) {
  const std::vector<std::pair<double, int>> places = LegendLayout(x, width, entries);
  return places.empty() ? 0 : places.back().second + 1;
}

std::string SvgCanvas::Finish() const {
  return fmt::format(R"(<svg class="chart" width="{}" height="{}" )"
                     R"(viewBox="0 0 {} {}" role="img">)"
                     "\n{}</svg>\n",
                     width_, height_, width_, height_, body_);
}

}  // namespace parlab
