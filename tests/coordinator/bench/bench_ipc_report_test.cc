// bench ipc's payload overhead table: each row's growth against the smallest
// input's, beside its raw floor's, in every rendering.
#include "coordinator/bench/bench_ipc_report.h"

#include <gtest/gtest.h>

#include <string>

namespace parlab {
namespace {

IpcReport TwoPayloads() {
  IpcReport report;
  PayloadRow small;
  small.n = 3;
  small.bytes = 72;
  small.shm_spin_overhead_us = 0.5;
  small.raw_spin_us = 0.25;
  PayloadRow large;
  large.n = 1024;
  large.bytes = 8u << 20;
  large.shm_spin_overhead_us = 1.5;
  large.raw_spin_us = 0.3;
  report.payloads = {small, large};
  return report;
}

// The overhead table's row for input order `n` in the text report, or "".
std::string OverheadRow(const std::string& text, const std::string& n) {
  const size_t table = text.find("Payload overhead");
  if (table == std::string::npos) return "";
  const size_t row = text.find("\n  " + std::string(5 - n.size(), ' ') + n + " ", table);
  if (row == std::string::npos) return "";
  return text.substr(row + 1, text.find('\n', row + 1) - row - 1);
}

TEST(BenchIpcReportTest, PayloadOverheadGrowsAgainstTheSmallestInputBesideItsFloor) {
  const std::string text = IpcReportText(TwoPayloads());
  ASSERT_NE(text.find("Payload overhead"), std::string::npos) << text;
  const std::string large = OverheadRow(text, "1024");
  // 1.5 / 0.5 = 3×; the floor 0.3 / 0.25 = 1.2×; shm over its floor 1.5 / 0.3 = 5×.
  EXPECT_NE(large.find("3.00×"), std::string::npos) << large;
  EXPECT_NE(large.find("1.20×"), std::string::npos) << large;
  EXPECT_NE(large.find("5.00×"), std::string::npos) << large;
  const std::string small = OverheadRow(text, "3");
  EXPECT_NE(small.find("1.00×"), std::string::npos) << small;
}

TEST(BenchIpcReportTest, AFigureNotMeasuredHasNoRatio) {
  IpcReport report = TwoPayloads();
  report.payloads.front().raw_spin_us = 0;  // no floor measured for the smallest
  const std::string large = OverheadRow(IpcReportText(report), "1024");
  EXPECT_NE(large.find("3.00×"), std::string::npos) << large;
  EXPECT_EQ(large.find("1.20×"), std::string::npos) << large;
  EXPECT_NE(large.find("—"), std::string::npos) << large;
}

TEST(BenchIpcReportTest, MarkdownAndJsonCarryTheOverheadAndItsFloor) {
  const IpcReport report = TwoPayloads();
  const std::string markdown = IpcReportMarkdown(report);
  EXPECT_NE(markdown.find("### Payload overhead"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| 3.00× |"), std::string::npos) << markdown;
  const std::string json = IpcReportJson(report);
  EXPECT_NE(json.find("\"shm_spin_overhead_us\":1.5"), std::string::npos) << json;
  EXPECT_NE(json.find("\"raw_spin_us\":0.3"), std::string::npos) << json;
}

TEST(BenchIpcReportTest, NoPayloadRowsNoOverheadTable) {
  EXPECT_EQ(IpcReportText(IpcReport{}).find("Payload overhead"), std::string::npos);
  EXPECT_EQ(IpcReportMarkdown(IpcReport{}).find("Payload overhead"), std::string::npos);
}

}  // namespace
}  // namespace parlab
