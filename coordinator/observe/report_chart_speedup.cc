#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/observe/report_charts.h"
#include "coordinator/observe/svg_chart.h"

namespace parlab {

std::string SpeedupChart(const std::vector<SpeedupSeries>& series, std::string_view title) {
  double max_p = 1;
  double max_s = 1;
  bool any = false;
  for (const SpeedupSeries& s : series) {
    for (const ScalingPoint& point : s.points) {
      if (!std::isfinite(point.p) || !std::isfinite(point.speedup)) continue;
      any = true;
      max_p = std::max(max_p, point.p);
      max_s = std::max(max_s, point.speedup);
    }
  }
  if (!any) return "";
  constexpr int kWidth = 640;
  // The legend's labels first: the canvas grows by the rows they take.
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t i = 0; i < series.size(); ++i) {
    std::string label = series[i].label;
    if (series[i].serial_fraction && std::isfinite(*series[i].serial_fraction)) {
      label += fmt::format(" (Amdahl f = {:.3f})", *series[i].serial_fraction);
    }
    legend.emplace_back(label, std::string(SeriesColour(i)));
  }
  const int height =
      344 + SvgCanvas::kLegendRowHeight * std::max(1, SvgCanvas::LegendRows(56, kWidth, legend));
  constexpr double kLeft = 56, kRight = 620, kTop = 40, kBottom = 300;
  const std::vector<double> x_ticks = NiceTicks(0, max_p, 8);
  // The ideal line reaches max_p; the y axis shows it up to the data's height.
  const std::vector<double> y_ticks =
      NiceTicks(0, std::max(max_s, std::min(max_p, max_s * 1.5)), 6);
  const Scale x(0, x_ticks.back(), kLeft, kRight);
  const Scale y(0, y_ticks.back(), kBottom, kTop);
  SvgCanvas canvas(kWidth, height, title);
  canvas.Text(kLeft, 20, title, "start", 14, "#111");
  canvas.Axes(x, y, x_ticks, y_ticks, "parallel units (processes × threads)", "speedup vs seq");
  // Ideal: S = p, clipped to the plot.
  const double ideal_end = std::min(x_ticks.back(), y_ticks.back());
  canvas.Line(x(0), y(0), x(ideal_end), y(ideal_end), "#aaaaaa", 1.5, "2 3");
  canvas.Text(x(ideal_end) - 4, y(ideal_end) + 14, "ideal", "end", 11, "#888");

  for (size_t i = 0; i < series.size(); ++i) {
    const SpeedupSeries& s = series[i];
    const std::string colour(SeriesColour(i));
    std::vector<ScalingPoint> points = s.points;
    std::sort(points.begin(), points.end(),
              [](const ScalingPoint& a, const ScalingPoint& b) { return a.p < b.p; });
    std::vector<std::pair<double, double>> line;
    for (const ScalingPoint& point : points) {
      if (!std::isfinite(point.p) || !std::isfinite(point.speedup)) continue;
      line.emplace_back(x(point.p), y(point.speedup));
    }
    canvas.Polyline(line, colour, 2);
    for (const ScalingPoint& point : points) {
      if (!std::isfinite(point.p) || !std::isfinite(point.speedup)) continue;
      canvas.Circle(x(point.p), y(point.speedup), 4, colour,
                    fmt::format("{}: p = {}, speedup {:.2f}×, efficiency {:.0f}%", s.label,
                                TickLabel(point.p), point.speedup,
                                100 * point.speedup / std::max(point.p, 1.0)));
    }
    if (s.serial_fraction && std::isfinite(*s.serial_fraction)) {
      std::vector<std::pair<double, double>> fit;
      for (int k = 0; k <= 60; ++k) {
        const double p = 1 + (x_ticks.back() - 1) * k / 60.0;
        const double speedup = AmdahlSpeedup(*s.serial_fraction, p);
        if (speedup > y_ticks.back()) break;
        fit.emplace_back(x(p), y(speedup));
      }
      canvas.Polyline(fit, colour, 1.2, "6 4");
    }
  }
  canvas.Legend(kLeft, 344 + 8, legend);
  return canvas.Finish();
}

}  // namespace parlab
