// Running gnuplot: a program that fails is an error naming the file, and the
// real gnuplot, when this machine has it, writes a PNG and an SVG.
#include "coordinator/observe/gnuplot.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "coordinator/observe/sweep_plot.h"

namespace parlab {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "gnuplot_test_" + std::to_string(getpid()) + "_" + name;
}

pb::SweepReport OneMode() {
  pb::SweepReport report;
  report.set_workload("noop");
  report.set_usable_cores(2);
  pb::SweepSeries& series = *report.add_series();
  series.set_mode("threads");
  for (int workers : {1, 2, 4}) {
    pb::SweepPoint& point = *series.add_points();
    point.set_workers(workers);
    point.set_parallel_units(workers);
    point.set_oversubscribed(workers > 2);
    point.set_speedup(workers == 1 ? 1.0 : 1.8);
    point.set_wall_mean_s(0.1);
  }
  return report;
}

TEST(GnuplotTest, AProgramThatFailsIsAnError) {
  const std::string path = TempPath("never.png");
  Status status = RunGnuplot("/bin/false", "plot x\n", path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("exited with code 1"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(path), std::string::npos);
}

TEST(GnuplotTest, AProgramThatWritesNothingIsAnError) {
  const std::string path = TempPath("empty.png");
  Status status = RunGnuplot("/bin/true", "plot x\n", path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("without writing " + path), std::string::npos)
      << status.message();
}

TEST(GnuplotTest, ConfiguredProgramIsFoundOrNot) {
  ASSERT_EQ(setenv("PARLAB_GNUPLOT", "/bin/false", 1), 0);
  EXPECT_EQ(FindGnuplot(), std::optional<std::string>("/bin/false"));
  ASSERT_EQ(setenv("PARLAB_GNUPLOT", "/no/such/gnuplot", 1), 0);
  EXPECT_FALSE(FindGnuplot().has_value());
  ASSERT_EQ(unsetenv("PARLAB_GNUPLOT"), 0);
}

TEST(GnuplotTest, RealGnuplotWritesPngAndSvg) {
  ASSERT_EQ(unsetenv("PARLAB_GNUPLOT"), 0);
  const std::optional<std::string> gnuplot = FindGnuplot();
  if (!gnuplot.has_value()) GTEST_SKIP() << "gnuplot is not installed";
  const std::string png = TempPath("sweep.png");
  ASSERT_TRUE(RunGnuplot(*gnuplot, GnuplotScript(OneMode(), png, PlotFormat::kPng), png).ok());
  std::ifstream png_in(png, std::ios::binary);
  char magic[8] = {};
  png_in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  const std::string svg = TempPath("sweep.svg");
  ASSERT_TRUE(RunGnuplot(*gnuplot, GnuplotScript(OneMode(), svg, PlotFormat::kSvg), svg).ok());
  std::ifstream svg_in(svg);
  const std::string text((std::istreambuf_iterator<char>(svg_in)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("threads"), std::string::npos);
  std::filesystem::remove(png);
  std::filesystem::remove(svg);
}

TEST(GnuplotTest, ABadScriptMakesGnuplotFail) {
  ASSERT_EQ(unsetenv("PARLAB_GNUPLOT"), 0);
  const std::optional<std::string> gnuplot = FindGnuplot();
  if (!gnuplot.has_value()) GTEST_SKIP() << "gnuplot is not installed";
  const std::string path = TempPath("bad.png");
  Status status = RunGnuplot(*gnuplot, "set no_such_option\n", path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("did not draw " + path), std::string::npos) << status.message();
}

}  // namespace
}  // namespace parlab
