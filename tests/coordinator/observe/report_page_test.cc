#include "coordinator/observe/report_page.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/report_fixtures.h"

namespace parlab {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

ReportInput Parsed(const std::string& text, const std::string& path) {
  Result<ReportInput> input = ParseReportInput(text, path);
  EXPECT_TRUE(input.ok()) << input.status().ToString();
  return input.ok() ? std::move(input).value() : ReportInput{};
}

const ReportMachine kMachine{"Test CPU", "OpenBLAS (test)", "SkylakeX",
                             "set by parlab (OPENBLAS_CORETYPE=SkylakeX): OpenBLAS alone chose "
                             "Prescott"};

TEST(ReportPageTest, EveryKindGetsItsSectionAndCharts) {
  std::vector<ReportInput> inputs;
  inputs.push_back(Parsed(CompareJson("spin"), "compare.json"));
  inputs.push_back(Parsed(JsonOf(Sweep("spin")), "sweep.json"));
  inputs.push_back(Parsed(LogText(pb::SEQ, 1, 6, "spin"), "seq.jsonl"));
  inputs.push_back(Parsed(LogText(pb::PROCS, 3, 12, "spin"), "procs.jsonl"));
  const std::string page = RenderReportPage(inputs, kMachine);

  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<h2>compare of spin"), std::string::npos);
  EXPECT_NE(page.find("<h2>sweep of spin"), std::string::npos);
  EXPECT_NE(page.find("<h2>2 logs side by side</h2>"), std::string::npos);
  // compare: speedup + phases; sweep: speedup + phases; logs: speedup (a seq
  // log is among them) + phases + a histogram and a timeline per log.
  EXPECT_EQ(CountReportCharts(page), 2 + 2 + 2 + 2 + 2);
  EXPECT_NE(page.find("Speedup against the seq log (seq.jsonl)"), std::string::npos);
  EXPECT_NE(page.find("First tasks per worker: procs.jsonl"), std::string::npos);
  // What runs GEMM: of the logs' machine and of this one.
  EXPECT_NE(page.find("seq.jsonl: CPU Test CPU; GEMM: OpenBLAS (test); OpenBLAS core Haswell "
                      "(OpenBLAS&#39;s own choice)"),
            std::string::npos);
  EXPECT_NE(page.find("OpenBLAS alone chose Prescott"), std::string::npos);
  EXPECT_NE(page.find("<pre id=selfcheck>"), std::string::npos);
}

TEST(ReportPageTest, SelfContained) {
  const std::string page =
      RenderReportPage({Parsed(LogText(pb::PROCS, 2, 4, "spin"), "a.jsonl")}, kMachine);
  for (const char* external : {"http://", "https://", "src=", "href=", "@import", "url("}) {
    EXPECT_EQ(page.find(external), std::string::npos) << external;
  }
  EXPECT_EQ(Count(page, "<script>"), 2u);  // the error hook and the self-check, both ours
}

TEST(ReportPageTest, EveryStringFromDataIsEscaped) {
  const std::string evil = "<script>alert(1)</script>";
  std::vector<ReportInput> inputs;
  inputs.push_back(Parsed(CompareJson(evil), "compare.json"));
  inputs.push_back(Parsed(JsonOf(Sweep(evil)), "sweep.json"));
  inputs.push_back(Parsed(LogText(pb::PROCS, 2, 4, evil, "boom " + evil), "<b>.jsonl"));
  ReportMachine machine = kMachine;
  machine.cpu_model = evil;
  const std::string page = RenderReportPage(inputs, machine);
  EXPECT_EQ(Count(page, "<script>"), 2u);  // only ours
  EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
  EXPECT_EQ(page.find("<b>.jsonl"), std::string::npos);
  EXPECT_NE(page.find("boom &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos)
      << "the failed task's error is listed, escaped";
  EXPECT_NE(page.find("&lt;b&gt;.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace parlab
