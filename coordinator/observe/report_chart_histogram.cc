#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/observe/report_charts.h"
#include "coordinator/observe/svg_chart.h"

namespace parlab {

std::string HistogramChart(const std::vector<pb::HistogramBin>& bins, std::string_view title) {
  if (bins.empty()) return "";
  int64_t max_count = 0;
  for (const pb::HistogramBin& bin : bins) max_count = std::max(max_count, bin.count());
  constexpr int kWidth = 640;
  constexpr int kHeight = 300;
  constexpr double kLeft = 56, kRight = 620, kTop = 40, kBottom = 240;
  const std::vector<double> y_ticks =
      NiceTicks(0, std::max(1.0, static_cast<double>(max_count)), 5);
  const auto n = static_cast<double>(bins.size());
  const Scale x(0, n, kLeft, kRight);
  const Scale y(0, y_ticks.back(), kBottom, kTop);
  SvgCanvas canvas(kWidth, kHeight, title);
  canvas.Text(kLeft, 20, title, "start", 14, "#111");
  canvas.Axes(x, y, {}, y_ticks, "overhead per task (µs; bins of a 1-2-5 series)", "tasks");
  const double slot = (kRight - kLeft) / n;
  // Label every bin when they fit, else every second or more.
  const size_t every =
      std::max<size_t>(1, static_cast<size_t>(std::ceil(n * 40 / (kRight - kLeft))));
  for (size_t i = 0; i < bins.size(); ++i) {
    const pb::HistogramBin& bin = bins[i];
    const double left = x(static_cast<double>(i)) + 1;
    canvas.Rect(left, y(static_cast<double>(bin.count())), slot - 2,
                kBottom - y(static_cast<double>(bin.count())), SeriesColour(0),
                fmt::format("{} – {} µs: {} tasks", TickLabel(bin.low_us()),
                            TickLabel(bin.high_us()), bin.count()));
    if (i % every == 0) canvas.Text(left, kBottom + 16, TickLabel(bin.low_us()), "middle", 10);
  }
  canvas.Text(kRight, kBottom + 16, TickLabel(bins.back().high_us()), "middle", 10);
  return canvas.Finish();
}

}  // namespace parlab
