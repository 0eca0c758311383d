#include "coordinator/observe/report_input.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/report_fixtures.h"

namespace parlab {
namespace {

TEST(ReportInputTest, LogIsFoundByItsHeaderLine) {
  Result<ReportInput> input = ParseReportInput(LogText(pb::PROCS, 2, 8, "spin"), "run.jsonl");
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->kind, ReportKind::kLog);
  EXPECT_EQ(input->log.records.size(), 8u);
  EXPECT_EQ(input->analysis.measured_tasks(), 8);
  EXPECT_EQ(input->path, "run.jsonl");
}

TEST(ReportInputTest, LogWithoutHeaderIsStillALog) {
  const std::string log = LogText(pb::SEQ, 1, 3, "spin");
  Result<ReportInput> input = ParseReportInput(log.substr(log.find('\n') + 1), "cut.jsonl");
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->kind, ReportKind::kLog);
  EXPECT_FALSE(input->log.problems.empty());  // "no header" is said, not fatal
}

TEST(ReportInputTest, CompareArrayRunSweepAndAnalyseAreTellApart) {
  Result<ReportInput> compare = ParseReportInput(CompareJson("spin"), "c.json");
  ASSERT_TRUE(compare.ok()) << compare.status().ToString();
  EXPECT_EQ(compare->kind, ReportKind::kCompare);
  ASSERT_EQ(compare->summaries.size(), 3u);
  EXPECT_EQ(compare->summaries[2].mode(), "procs");

  Result<ReportInput> rows =
      ParseReportInput("{\"rows\":" + CompareJson("spin") + ",\"machine\":{}}", "rows.json");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->kind, ReportKind::kCompare);
  EXPECT_EQ(rows->summaries.size(), 3u);

  Result<ReportInput> run =
      ParseReportInput(JsonOf(Summary("spin", "procs", 2, 0.1, 0)), "run.json");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->kind, ReportKind::kRun);
  ASSERT_EQ(run->summaries.size(), 1u);

  Result<ReportInput> sweep = ParseReportInput(JsonOf(Sweep("spin")), "sweep.json");
  ASSERT_TRUE(sweep.ok()) << sweep.status().ToString();
  EXPECT_EQ(sweep->kind, ReportKind::kSweep);
  EXPECT_EQ(sweep->sweep.series_size(), 2);

  pb::AnalysisReport analyses;
  analyses.add_logs()->set_path("a.jsonl");
  Result<ReportInput> analysis = ParseReportInput(JsonOf(analyses), "analysis.json");
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_EQ(analysis->kind, ReportKind::kAnalysis);
}

TEST(ReportInputTest, FieldsFromANewerParlabAreSkipped) {
  Result<ReportInput> run = ParseReportInput(
      R"({"workload":"spin","mode":"seq","wall_mean_s":0.5,"from_the_future":[1,2]})", "new.json");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_DOUBLE_EQ(run->summaries[0].wall_mean_s(), 0.5);
}

void ExpectInvalid(const std::string& text, const std::string& says) {
  Result<ReportInput> input = ParseReportInput(text, "bad.txt");
  ASSERT_FALSE(input.ok()) << "accepted: " << text;
  EXPECT_EQ(input.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(input.status().message().rfind("bad.txt: ", 0), 0u) << input.status().message();
  EXPECT_NE(input.status().message().find(says), std::string::npos) << input.status().message();
}

TEST(ReportInputTest, WhatIsNoneOfThemSaysWhatWasExpected) {
  ExpectInvalid("", "empty");
  ExpectInvalid("hello, world\n", "neither a parlab log");
  ExpectInvalid("hello, world\n", "the --json of run, compare, sweep or analyse");
  ExpectInvalid(R"({"name":"x","size":3})", "it has name, size");
  ExpectInvalid("{}", "it is empty");
  ExpectInvalid("[]", "empty array");
  ExpectInvalid("[1, 2]", "the array[0] is not an object");
  ExpectInvalid("42", "neither an object nor an array");
  ExpectInvalid(R"({"rows": 3})", "\"rows\" is not an array");
  ExpectInvalid(R"({"series": 3})", "looks like `parlab sweep --json`");
  ExpectInvalid(std::string(100, '[') + std::string(100, ']'), "nested deeper");
  // A header and nothing else: a log with nothing to draw.
  const std::string log = LogText(pb::SEQ, 1, 1, "spin");
  ExpectInvalid(log.substr(0, log.find('\n') + 1), "without a single good task record");
}

TEST(ReportInputTest, MissingFileIsNamed) {
  Result<ReportInput> input = ReadReportInput("/nonexistent/parlab-report-input.json");
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(input.status().message().find("/nonexistent/parlab-report-input.json: cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace parlab
