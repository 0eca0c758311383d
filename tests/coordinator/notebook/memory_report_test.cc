#include "coordinator/notebook/memory_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace parlab {
namespace {

MemoryOptions Tiny() {
  MemoryOptions options;
  options.n = 16;
  options.conv.set_batch(2);
  options.conv.set_channels(1);
  options.conv.set_height(8);
  options.conv.set_width(8);
  options.conv.set_layers("c4,p2,c8");
  return options;
}

TEST(MemoryReportTest, CompletesConvParamsFromTheKernelsDefaults) {
  KernelParams partial;
  partial.set_batch(4);
  const KernelParams full = CompleteConvParams(partial);
  EXPECT_EQ(full.kernel(), "conv");
  EXPECT_EQ(full.batch(), 4);
  EXPECT_EQ(full.channels(), 3);
  EXPECT_EQ(full.height(), 64);
  EXPECT_EQ(full.layers(), "c32,p2,c64,p2,c128");
}

TEST(MemoryReportTest, WithoutAParlabToRunThePeakIsExplainedNotFaked) {
  MemoryOptions options = Tiny();
  options.parlab_path = "/nonexistent/parlab";
  Result<MemoryReport> report = MeasureMemory(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->peak.has_value());
  EXPECT_NE(report->peak_note.find("/nonexistent/parlab"), std::string::npos);
  ASSERT_EQ(report->measured_types.size(), 5u);
  EXPECT_EQ(report->measured_types[2].eigen_bytes, 16u * 16 * 8);
  std::ostringstream out;
  PrintMemory(*report, out);
  EXPECT_NE(out.str().find("not measured: "), std::string::npos);
  EXPECT_NE(out.str().find("(2, 8, 4, 4)"), std::string::npos) << out.str();
}

TEST(MemoryReportTest, MeasuresThePeakInAChild) {
  ASSERT_NE(std::getenv("PARLAB_BIN"), nullptr) << "ctest sets PARLAB_BIN";
  Result<MemoryReport> report = MeasureMemory(Tiny());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->peak.has_value()) << report->peak_note;
  const ConvPeak& peak = *report->peak;
  EXPECT_GT(peak.baseline_rss_bytes, 0);
  EXPECT_GE(peak.peak_rss_bytes, peak.buffers_rss_bytes);
  EXPECT_GE(peak.peak_rss_bytes, peak.baseline_rss_bytes);
  EXPECT_EQ(peak.kernel_share_bytes(), peak.peak_rss_bytes - peak.baseline_rss_bytes);
}

TEST(MemoryReportTest, BadOptionsNameTheFlag) {
  MemoryOptions options = Tiny();
  options.n = 0;
  Result<MemoryReport> report = MeasureMemory(options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("--n"), std::string::npos);
  options = Tiny();
  options.conv.set_layers("c4,q2");
  report = MeasureMemory(options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parlab
