// The sweep's pictures: which plot paths are accepted, the gnuplot script
// (terminal, output, one inline data block per mode, the ideal line, the
// cores marker) and the text chart. gnuplot itself is run in gnuplot_test.
#include "coordinator/observe/sweep_plot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace parlab {
namespace {

pb::SweepReport TwoModes(int usable_cores) {
  pb::SweepReport report;
  report.set_workload("loop");
  report.set_tasks(40);
  report.set_trials(5);
  report.set_usable_cores(usable_cores);
  report.mutable_reference()->set_wall_mean_s(0.2);
  const struct {
    const char* mode;
    double speedups[3];
  } series[] = {{"threads", {1.0, 1.9, 2.0}}, {"gil", {1.0, 0.95, 0.9}}};
  for (const auto& s : series) {
    pb::SweepSeries& out = *report.add_series();
    out.set_mode(s.mode);
    const int workers[] = {1, 2, 4};
    for (int i = 0; i < 3; ++i) {
      pb::SweepPoint& point = *out.add_points();
      point.set_workers(workers[i]);
      point.set_parallel_units(workers[i]);
      point.set_oversubscribed(workers[i] > usable_cores);
      point.set_speedup(s.speedups[i]);
      point.set_wall_mean_s(0.2 / s.speedups[i]);
      point.set_wall_std_s(0.002);
    }
  }
  return report;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

TEST(SweepPlotTest, PngAndSvgAreAccepted) {
  Result<PlotFormat> png = CheckPlotPath("sweep.png");
  ASSERT_TRUE(png.ok()) << png.status().message();
  EXPECT_EQ(*png, PlotFormat::kPng);
  Result<PlotFormat> svg = CheckPlotPath(::testing::TempDir() + "/Sweep.SVG");
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_EQ(*svg, PlotFormat::kSvg);
}

TEST(SweepPlotTest, OtherExtensionsAndMissingDirectoriesAreRefused) {
  for (const char* path : {"sweep.pdf", "sweep", "sweep.png.txt"}) {
    Result<PlotFormat> format = CheckPlotPath(path);
    ASSERT_FALSE(format.ok()) << path;
    EXPECT_EQ(format.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(format.status().message().find(".png or .svg"), std::string::npos);
  }
  Result<PlotFormat> nowhere = CheckPlotPath("/no/such/directory/sweep.png");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.status().message().find("does not exist"), std::string::npos);
}

TEST(SweepPlotTest, StringsAreQuotedForGnuplot) {
  EXPECT_EQ(GnuplotQuote("a.png"), "\"a.png\"");
  EXPECT_EQ(GnuplotQuote("x\"y\\z"), "\"x\\\"y\\\\z\"");
}

TEST(SweepPlotTest, ScriptWritesTheFileWithOneDataBlockPerMode) {
  const std::string script = GnuplotScript(TwoModes(8), "/tmp/out dir/s.png", PlotFormat::kPng);
  EXPECT_NE(script.find("pngcairo"), std::string::npos);
  EXPECT_NE(script.find("set output \"/tmp/out dir/s.png\""), std::string::npos);
  EXPECT_NE(script.find("plot x with lines"), std::string::npos);  // the ideal S = p
  EXPECT_EQ(Count(script, "\"-\" using 1:2:3"), 2u);
  EXPECT_NE(script.find("title \"threads\""), std::string::npos);
  EXPECT_NE(script.find("title \"gil\""), std::string::npos);
  EXPECT_EQ(Count(script, "\ne\n"), 2u);                  // each inline block ends with 'e'
  EXPECT_NE(script.find("\n2 1.9 "), std::string::npos);  // workers, speedup, spread
  EXPECT_NE(script.find("set xtics (1, 2, 4)"), std::string::npos);
  EXPECT_EQ(script.find("usable cores"), std::string::npos);  // nothing oversubscribed on 8
  EXPECT_EQ(script.find("logscale"), std::string::npos);      // 1..4 stays linear
}

TEST(SweepPlotTest, SvgScriptAndTheCoresMarker) {
  const std::string script = GnuplotScript(TwoModes(2), "s.svg", PlotFormat::kSvg);
  EXPECT_NE(script.find("set terminal svg"), std::string::npos);
  EXPECT_EQ(script.find("png"), std::string::npos);
  EXPECT_NE(script.find("set arrow from 2, graph 0 to 2, graph 1"), std::string::npos);
  EXPECT_NE(script.find("2 usable cores"), std::string::npos);
}

TEST(SweepPlotTest, WideWorkerRangesUseALogScale) {
  pb::SweepReport report = TwoModes(64);
  report.mutable_series(0)->mutable_points(2)->set_workers(16);
  EXPECT_NE(GnuplotScript(report, "s.png", PlotFormat::kPng).find("set logscale x 2"),
            std::string::npos);
}

TEST(SweepPlotTest, TerminalChartHasEveryModeTheIdealAndTheAxes) {
  const std::string chart = TerminalChart(TwoModes(2), 40, 10);
  EXPECT_NE(chart.find('T'), std::string::npos);
  EXPECT_NE(chart.find('G'), std::string::npos);
  EXPECT_NE(chart.find('.'), std::string::npos);
  EXPECT_NE(chart.find("T threads"), std::string::npos);
  EXPECT_NE(chart.find("G gil"), std::string::npos);
  EXPECT_NE(chart.find("ideal (S = p)"), std::string::npos);
  EXPECT_NE(chart.find("2 usable cores"), std::string::npos);
  EXPECT_NE(chart.find("workers"), std::string::npos);
  // 10 plot rows + title + axis + ticks + legend, every plot row equally wide.
  std::istringstream lines(chart);
  std::string line;
  int plot_rows = 0;
  while (std::getline(lines, line)) {
    const bool axis = line.size() > 8 && line.substr(8) == std::string(40, '-');
    if (line.size() == 8 + 40 && (line[7] == '|' || line[7] == '+') && !axis) ++plot_rows;
  }
  EXPECT_EQ(plot_rows, 10);
  EXPECT_EQ(std::count(chart.begin(), chart.end(), '\n'), 14);
}

TEST(SweepPlotTest, PointsSitWhereTheirSpeedupIs) {
  // One mode, flat at S = 1 on 1..4 workers: every 'T' and 't' on one row.
  pb::SweepReport report = TwoModes(8);
  report.mutable_series()->RemoveLast();
  for (pb::SweepPoint& point : *report.mutable_series(0)->mutable_points()) point.set_speedup(1);
  const std::string chart = TerminalChart(report, 30, 8);
  std::istringstream lines(chart);
  std::string line;
  int rows_with_t = 0;
  while (std::getline(lines, line)) {
    if (line.find('T') != std::string::npos && line.find("T threads") == std::string::npos) {
      ++rows_with_t;
      EXPECT_EQ(std::count(line.begin(), line.end(), 'T'), 3) << line;
    }
  }
  EXPECT_EQ(rows_with_t, 1);
}

}  // namespace
}  // namespace parlab
