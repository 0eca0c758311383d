#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/observe/report_charts.h"
#include "coordinator/observe/svg_chart.h"

namespace parlab {

std::string PhaseStackChart(const std::vector<PhaseBar>& bars, std::string_view title) {
  if (bars.empty()) return "";
  double max_total = 0;
  for (const PhaseBar& bar : bars) {
    double total = 0;
    for (double us : bar.phase_us) total += std::isfinite(us) ? std::max(us, 0.0) : 0.0;
    max_total = std::max(max_total, total);
  }
  size_t longest_label = 4;
  for (const PhaseBar& bar : bars) longest_label = std::max(longest_label, bar.label.size());
  constexpr int kWidth = 640;
  constexpr double kBarHeight = 22, kGap = 10, kTop = 40;
  const double left = 40 + 6.5 * static_cast<double>(std::min<size_t>(longest_label, 40));
  const double right = kWidth - 20;
  const double bottom = kTop + static_cast<double>(bars.size()) * (kBarHeight + kGap);
  const int height = static_cast<int>(bottom) + 64;
  const std::vector<double> x_ticks = NiceTicks(0, max_total > 0 ? max_total : 1, 6);
  const Scale x(0, x_ticks.back(), left, right);
  const Scale y(0, 1, bottom, kTop);  // only for the axes' frame
  SvgCanvas canvas(kWidth, height, title);
  canvas.Text(20, 20, title, "start", 14, "#111");
  canvas.Axes(x, y, x_ticks, {}, "µs per task (median of each phase)", "");
  for (size_t i = 0; i < bars.size(); ++i) {
    const PhaseBar& bar = bars[i];
    const double top = kTop + static_cast<double>(i) * (kBarHeight + kGap) + kGap / 2;
    std::string label = bar.label;
    if (label.size() > 40) label = label.substr(0, 37) + "...";
    canvas.Text(left - 6, top + kBarHeight / 2 + 4, label, "end", 11, "#333");
    double at = 0;
    double total = 0;
    for (size_t k = 0; k < kOverheadPhases.size(); ++k) {
      const double us = std::isfinite(bar.phase_us[k]) ? std::max(bar.phase_us[k], 0.0) : 0.0;
      canvas.Rect(x(at), top, x(at + us) - x(at), kBarHeight, SeriesColour(k),
                  fmt::format("{}: {} {:.2f} µs", bar.label, kOverheadPhases[k], us));
      at += us;
      total += us;
    }
    canvas.Text(x(at) + 4, top + kBarHeight / 2 + 4, fmt::format("{:.1f} µs", total), "start", 10,
                "#555");
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t k = 0; k < kOverheadPhases.size(); ++k) {
    legend.emplace_back(kOverheadPhases[k], std::string(SeriesColour(k)));
  }
  canvas.Legend(left, height - 8, legend);
  return canvas.Finish();
}

}  // namespace parlab
