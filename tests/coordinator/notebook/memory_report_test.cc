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
  // Big enough that every buffer below is its own mapping (glibc mmaps blocks
  // above 128 KiB), so none can hide in heap pages the baseline already held.
  MemoryOptions options = Tiny();
  options.conv.set_batch(4);
  options.conv.set_channels(3);
  options.conv.set_height(64);
  options.conv.set_width(64);
  options.conv.set_layers("c16");
  Result<MemoryReport> report = MeasureMemory(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->peak.has_value()) << report->peak_note;
  const ConvPeak& peak = *report->peak;
  const CnnEstimate& cnn = report->cnn;
  ASSERT_EQ(cnn.rows.size(), 2u);
  const auto buffers = static_cast<int64_t>(cnn.kernel_input_bytes + cnn.kernel_output_bytes);
  // Written in full by the one convolution, so resident at the peak. (The
  // activation buffers are not: a one-layer net writes its output directly.)
  const auto written = buffers + static_cast<int64_t>(cnn.rows[1].im2col_bytes);
  EXPECT_GT(peak.baseline_rss_bytes, 0);
  EXPECT_GE(peak.buffers_rss_bytes - peak.baseline_rss_bytes, buffers)
      << "the child made and filled " << buffers << " bytes of input and output";
  EXPECT_GE(peak.kernel_share_bytes(), written)
      << "the pass wrote at least " << written << " bytes";
  EXPECT_LE(peak.kernel_share_bytes(), 2 * static_cast<int64_t>(cnn.kernel_live_bytes()))
      << "far above what the kernel keeps alive (" << cnn.kernel_live_bytes() << " bytes)";
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

TEST(MemoryReportTest, CsvHoldsEveryTypeThenEveryCnnRow) {
  MemoryOptions options = Tiny();
  options.measure_peak = false;
  Result<MemoryReport> report = MeasureMemory(options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  const Table table = MemoryCsvTable(*report);
  ASSERT_EQ(table.rows.size(), report->types.size() + report->cnn.rows.size());
  for (const std::vector<std::string>& row : table.rows) {
    EXPECT_EQ(row.size(), table.columns.size());
  }
  const std::vector<std::string>& float64 = table.rows[2];
  EXPECT_EQ(float64[0], "matrix");
  EXPECT_EQ(float64[1], "float64");
  EXPECT_EQ(float64[2], "(16, 16)");
  EXPECT_EQ(float64[4], std::to_string(16 * 16 * 8));
  EXPECT_EQ(float64[5], std::to_string(16 * 16 * 8));  // what Eigen allocated
  const std::vector<std::string>& input = table.rows[report->types.size()];
  EXPECT_EQ(input[0], "cnn");
  EXPECT_EQ(input[1], report->cnn.rows.front().name);
  EXPECT_EQ(input[4], std::to_string(report->cnn.rows.front().total_bytes()));
}

}  // namespace
}  // namespace parlab
