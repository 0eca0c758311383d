#include "coordinator/observe/sweep_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <vector>

namespace parlab {
namespace {

struct Axes {
  double x_min = 1, x_max = 1;  // worker counts
  double y_max = 1;             // speedup
  bool log_x = false;
  bool any_oversubscribed = false;
};

// The y range shows every measured speedup and the ideal line up to the
// usable cores (beyond them it is out of reach anyway), but no further: on a
// big machine swept to 8 workers the ideal would otherwise flatten the data.
Axes AxesFor(const pb::SweepReport& report) {
  Axes axes;
  bool first = true;
  double max_speedup = 0;
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) {
      const double x = point.workers();
      axes.x_min = first ? x : std::min(axes.x_min, x);
      axes.x_max = first ? x : std::max(axes.x_max, x);
      first = false;
      max_speedup = std::max(max_speedup, point.speedup());
      axes.any_oversubscribed = axes.any_oversubscribed || point.oversubscribed();
    }
  }
  const double ideal_shown =
      std::min(axes.x_max, static_cast<double>(std::max(1, report.usable_cores())));
  axes.y_max = std::max({max_speedup, ideal_shown, 1.0}) * 1.1;
  axes.log_x = axes.x_max / axes.x_min >= 8;
  return axes;
}

char ModeLetter(const std::string& mode) {
  return mode.empty() ? '?' : static_cast<char>(std::toupper(static_cast<unsigned char>(mode[0])));
}

}  // namespace

Result<PlotFormat> CheckPlotPath(const std::string& path) {
  const std::filesystem::path file(path);
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  PlotFormat format;
  if (extension == ".png") {
    format = PlotFormat::kPng;
  } else if (extension == ".svg") {
    format = PlotFormat::kSvg;
  } else {
    return InvalidArgument("--plot " + path + ": unsupported extension '" + extension +
                           "'; give a .png or .svg file");
  }
  const std::filesystem::path directory =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return InvalidArgument("--plot " + path + ": directory " + directory.string() +
                           " does not exist");
  }
  return format;
}

std::string GnuplotQuote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::string GnuplotScript(const pb::SweepReport& report, const std::string& path,
                          PlotFormat format) {
  const Axes axes = AxesFor(report);
  std::ostringstream out;
  out << "# parlab sweep: speedup against workers, one line per mode\n";
  if (format == PlotFormat::kPng) {
    // gnuplot-nox may be built without cairo; libgd's png terminal then draws.
    out << "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
           "  set terminal pngcairo size 900,600 font \",11\"\n"
           "} else {\n"
           "  set terminal png size 900,600\n"
           "}\n";
  } else {
    out << "set terminal svg size 900,600 dynamic font \"sans,11\" background \"white\"\n";
  }
  out << "set termoption noenhanced\n";
  out << "set output " << GnuplotQuote(path) << "\n";
  out << "set title "
      << GnuplotQuote(fmt::format(
             "parlab sweep {}: speedup against seq ({} per trial, {} tasks, {} trials)",
             report.workload(), fmt::format("{:.3g} s", report.reference().wall_mean_s()),
             report.tasks(), report.trials()))
      << "\n";
  out << "set xlabel \"workers\"\n";
  out << "set ylabel \"speedup (seq wall / mode wall), error bars: +-1 std\"\n";
  out << "set key top left\n";
  out << "set grid\n";
  if (axes.log_x) {
    out << "set logscale x 2\n";
    out << fmt::format("set xrange [{:g}:{:g}]\n", axes.x_min / 1.2, axes.x_max * 1.2);
  } else {
    out << fmt::format("set xrange [{:g}:{:g}]\n", axes.x_min - 0.5, axes.x_max + 0.5);
  }
  out << fmt::format("set yrange [0:{:g}]\n", axes.y_max);
  std::vector<int> ticks;
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) ticks.push_back(point.workers());
  }
  std::sort(ticks.begin(), ticks.end());
  ticks.erase(std::unique(ticks.begin(), ticks.end()), ticks.end());
  out << "set xtics (";
  for (size_t i = 0; i < ticks.size(); ++i) out << (i > 0 ? ", " : "") << ticks[i];
  out << ")\n";
  if (axes.any_oversubscribed) {
    out << fmt::format(
        "set arrow from {0}, graph 0 to {0}, graph 1 nohead dashtype 3 lc rgb \"gray40\"\n"
        "set label {1} at {0}, graph 0.97 offset 0.5, 0\n",
        report.usable_cores(),
        GnuplotQuote(fmt::format("{} usable cores: oversubscribed beyond", report.usable_cores())));
  }
  out << "plot x with lines dashtype 2 lc rgb \"gray50\" title \"ideal (S = p)\"";
  for (const pb::SweepSeries& series : report.series()) {
    out << ", \\\n     \"-\" using 1:2:3 with yerrorlines lw 2 pt 7 title "
        << GnuplotQuote(series.mode());
  }
  out << "\n";
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) {
      // The speedup's spread from the mode's own trials (the reference's is
      // shared by every point).
      const double spread =
          point.wall_mean_s() > 0 ? point.speedup() * point.wall_std_s() / point.wall_mean_s() : 0;
      out << fmt::format("{} {:.6g} {:.6g}\n", point.workers(), point.speedup(), spread);
    }
    out << "e\n";
  }
  return out.str();
}

std::string TerminalChart(const pb::SweepReport& report, int width, int height) {
  width = std::max(20, width);
  height = std::max(8, height);
  const Axes axes = AxesFor(report);
  auto to_unit = [&](double x) {  // worker count -> 0..1 across the plot
    if (axes.x_max <= axes.x_min) return 0.5;
    return axes.log_x ? std::log(x / axes.x_min) / std::log(axes.x_max / axes.x_min)
                      : (x - axes.x_min) / (axes.x_max - axes.x_min);
  };
  auto from_unit = [&](double u) {
    return axes.log_x ? axes.x_min * std::pow(axes.x_max / axes.x_min, u)
                      : axes.x_min + u * (axes.x_max - axes.x_min);
  };
  auto column = [&](double x) { return static_cast<int>(std::lround(to_unit(x) * (width - 1))); };
  auto row = [&](double y) {  // 0 = top
    return height - 1 - static_cast<int>(std::lround(y / axes.y_max * (height - 1)));
  };
  std::vector<std::string> grid(static_cast<size_t>(height), std::string(width, ' '));
  auto put = [&](int c, int r, char mark) {
    if (c >= 0 && c < width && r >= 0 && r < height) grid[r][c] = mark;
  };
  for (int c = 0; c < width; ++c) {
    const double u = width > 1 ? static_cast<double>(c) / (width - 1) : 0.5;
    const double ideal = from_unit(u);
    if (ideal <= axes.y_max) put(c, row(ideal), '.');
  }
  if (axes.any_oversubscribed && report.usable_cores() >= axes.x_min) {
    for (int r = 0; r < height; ++r) put(column(report.usable_cores()), r, '|');
  }
  for (const pb::SweepSeries& series : report.series()) {
    const char letter = ModeLetter(series.mode());
    const char segment = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
    for (int i = 0; i + 1 < series.points_size(); ++i) {
      const pb::SweepPoint& a = series.points(i);
      const pb::SweepPoint& b = series.points(i + 1);
      const int c0 = column(a.workers()), c1 = column(b.workers());
      for (int c = c0 + 1; c < c1; ++c) {
        const double t = static_cast<double>(c - c0) / (c1 - c0);
        put(c, row(a.speedup() + t * (b.speedup() - a.speedup())), segment);
      }
    }
    for (const pb::SweepPoint& point : series.points()) {
      put(column(point.workers()), row(point.speedup()), letter);
    }
  }
  std::ostringstream out;
  out << fmt::format("speedup against seq ({})\n", report.workload());
  for (int r = 0; r < height; ++r) {
    const double y = axes.y_max * (height - 1 - r) / (height - 1);
    const bool labelled = r == 0 || r == height - 1 || r == (height - 1) / 2;
    out << (labelled ? fmt::format("{:6.2f} +", y) : std::string("       |")) << grid[r] << "\n";
  }
  out << "       +" << std::string(width, '-') << "\n";
  std::string ticks(width + 8, ' ');
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) {
      const std::string label = std::to_string(point.workers());
      const size_t at = static_cast<size_t>(8 + column(point.workers()));
      const size_t start =
          std::min(at >= label.size() / 2 ? at - label.size() / 2 : 0, ticks.size() - label.size());
      ticks.replace(start, label.size(), label);
    }
  }
  while (!ticks.empty() && ticks.back() == ' ') ticks.pop_back();
  out << ticks << "   workers" << (axes.log_x ? " (log scale)" : "") << "\n";
  out << "       ";
  for (const pb::SweepSeries& series : report.series()) {
    out << " " << ModeLetter(series.mode()) << " " << series.mode() << " ";
  }
  out << " . ideal (S = p)";
  if (axes.any_oversubscribed) out << "  | " << report.usable_cores() << " usable cores";
  out << "\n";
  return out.str();
}

}  // namespace parlab
