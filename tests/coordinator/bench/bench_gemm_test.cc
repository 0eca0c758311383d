// Tests of bench gemm's pure half: the rules and the JSON. Nothing is timed.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "coordinator/bench/bench_gemm_report.h"
#include "coordinator/report/json_output.h"
#include "proto/report.pb.h"

namespace parlab {
namespace {

TEST(BenchGemmTest, RatioUsesTheFasterOpenBlas) {
  GemmRow row{1000, 1, 45, 30, 50.0, std::nullopt};
  EXPECT_DOUBLE_EQ(Ratio(row), 0.9);
  row.openblas_coretype_gflops.reset();
  EXPECT_DOUBLE_EQ(Ratio(row), 1.5);
  row.openblas_gflops = 0;
  EXPECT_DOUBLE_EQ(Ratio(row), 0.0);
}

TEST(BenchGemmTest, PeakFractionScalesWithThreads) {
  const GemmRow row{1000, 2, 80, 90, std::nullopt, std::nullopt};
  EXPECT_DOUBLE_EQ(PeakFraction(row, 50), 0.8);
  EXPECT_DOUBLE_EQ(PeakFraction(row, 0), 0.0);
}

TEST(BenchGemmTest, TargetIgnoresSmallSizesAndNamesEachMiss) {
  const std::vector<GemmRow> rows = {
      {500, 1, 10, 40, std::nullopt, std::nullopt},   // below min_n: does not count
      {1000, 1, 36, 40, std::nullopt, std::nullopt},  // 0.90: met (>=)
      {1000, 2, 60, 80, std::nullopt, std::nullopt},  // 0.75: missed
      {2000, 2, 78, 80, std::nullopt, std::nullopt},
  };
  const TargetVerdict verdict = CheckTarget(rows);
  EXPECT_TRUE(verdict.measured);
  EXPECT_FALSE(verdict.met);
  ASSERT_EQ(verdict.misses.size(), 1u);
  EXPECT_EQ(verdict.misses[0], "n=1000 threads=2: 0.75");

  EXPECT_TRUE(CheckTarget({rows[1], rows[3]}).met);
  const TargetVerdict small = CheckTarget({rows[0]});
  EXPECT_FALSE(small.measured);
  EXPECT_FALSE(small.met);
}

TEST(BenchGemmTest, ChildJsonRoundTripsChecksumsExactly) {
  OpenBlasRun run;
  run.core = "Haswell";
  run.rows.push_back({500, 1, 41.25, 0.1 + 0.2, 1.0 / 3.0});
  run.rows.push_back({3000, 2, 77.5, -123456.789012345678, 9.87654321e12});
  const Result<OpenBlasRun> parsed = ParseOpenBlasRunJson(OpenBlasRunJson(run));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->core, "Haswell");
  ASSERT_EQ(parsed->rows.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed->rows[i].n, run.rows[i].n);
    EXPECT_EQ(parsed->rows[i].threads, run.rows[i].threads);
    EXPECT_EQ(parsed->rows[i].gflops, run.rows[i].gflops);
    EXPECT_EQ(parsed->rows[i].checksum, run.rows[i].checksum);  // bit for bit
    EXPECT_EQ(parsed->rows[i].abs_sum, run.rows[i].abs_sum);
  }
}

TEST(BenchGemmTest, ChildJsonErrorsNameTheField) {
  EXPECT_FALSE(ParseOpenBlasRunJson("").ok());
  EXPECT_FALSE(ParseOpenBlasRunJson("Segmentation fault").ok());
  EXPECT_FALSE(ParseOpenBlasRunJson(R"({"rows":[]})").ok());
  const Result<OpenBlasRun> bad_n = ParseOpenBlasRunJson(
      R"({"core":"Zen","rows":[{"n":1.5,"threads":1,"gflops":1,"checksum":0,"abs_sum":0}]})");
  ASSERT_FALSE(bad_n.ok());
  EXPECT_NE(bad_n.status().message().find("rows[0].n"), std::string::npos);
  const Result<OpenBlasRun> no_checksum =
      ParseOpenBlasRunJson(R"({"core":"Zen","rows":[{"n":8,"threads":1,"gflops":1,"abs_sum":0}]})");
  ASSERT_FALSE(no_checksum.ok());
  EXPECT_NE(no_checksum.status().message().find("checksum"), std::string::npos);
}

TEST(BenchGemmTest, ChecksumsAgreeWithinTheScaleOfC) {
  EXPECT_TRUE(ChecksumsAgree(1.0, 1.0 + 1e-12, 1000.0));
  EXPECT_FALSE(ChecksumsAgree(1.0, 1.1, 1000.0));
  // Sums that cancel to ~0 are judged against sum |C|, not against themselves.
  EXPECT_TRUE(ChecksumsAgree(1e-8, -1e-8, 1e6));
}

TEST(BenchGemmTest, ReportJsonHasEveryFieldAndNoChildFieldsWithoutAChild) {
  GemmReport report;
  report.rows = {{1000, 1, 45, 50, std::nullopt, std::nullopt}};
  report.trials = 3;
  report.backend = "Eigen \"3.4.0\"";  // quotes must be escaped
  report.peak_gflops_per_core = 50;
  report.peak_isa = "AVX2";
  report.openblas_core = "Zen";
  pb::BenchGemmReport back;
  ASSERT_TRUE(FromJson(GemmReportJson(report), back).ok()) << GemmReportJson(report);
  EXPECT_EQ(back.openblas_core(), "Zen");
  EXPECT_EQ(back.backend(), "Eigen \"3.4.0\"");
  EXPECT_EQ(back.openblas_best_core(), "");  // no child ran
  EXPECT_DOUBLE_EQ(back.peak_gflops_per_core(), 50);
  ASSERT_TRUE(back.has_target_met());
  EXPECT_TRUE(back.target_met());
  EXPECT_EQ(back.statistic(), "best");
  ASSERT_EQ(back.rows_size(), 1);
  const pb::BenchGemmReport::Row& row = back.rows(0);
  EXPECT_EQ(row.n(), 1000);
  EXPECT_FALSE(row.has_openblas_coretype_gflops());
  EXPECT_FALSE(row.has_eigen_own_gflops());
  EXPECT_FALSE(row.has_eigen_own_ratio());
  EXPECT_DOUBLE_EQ(row.ratio(), 0.9);
  EXPECT_DOUBLE_EQ(row.peak_fraction(), 0.9);
  // Too small a matrix to judge: no verdict at all, not a false one.
  report.rows = {{100, 1, 45, 50, std::nullopt, 40.0}};
  ASSERT_TRUE(FromJson(GemmReportJson(report), back).ok());
  EXPECT_FALSE(back.has_target_met());
  EXPECT_DOUBLE_EQ(back.rows(0).eigen_own_ratio(), 0.8);
}

TEST(BenchGemmTest, TextNamesBothCoresAndTheVerdict) {
  GemmReport report;
  report.rows = {{2000, 2, 60, 70, 80.0, 30.0}};
  report.trials = 3;
  report.backend = "Eigen";
  report.peak_gflops_per_core = 50;
  report.peak_isa = "AVX2";
  report.openblas_core = "Zen";
  report.openblas_coretype = "Haswell";
  report.openblas_best_core = "Haswell";
  report.openblas_core_choice = "OpenBLAS's own choice";
  report.eigen_own = "Eigen 3.4.0's own GEMM";
  const std::string text = GemmReportText(report);
  EXPECT_NE(text.find("OpenBLAS Zen"), std::string::npos) << text;
  EXPECT_NE(text.find("OpenBLAS Haswell"), std::string::npos) << text;
  EXPECT_NE(text.find("NOT met (n=2000 threads=2: 0.75)"), std::string::npos) << text;
  EXPECT_NE(text.find("core 'Zen', OpenBLAS's own choice"), std::string::npos) << text;
  EXPECT_NE(text.find("Eigen alone:     Eigen 3.4.0's own GEMM"), std::string::npos) << text;
  // Eigen's own column: 30 GFLOPS against the best OpenBLAS's 80.
  EXPECT_NE(text.find("       30.0   0.38"), std::string::npos) << text;
}

TEST(BenchGemmTest, EigenOwnRatioIsAgainstTheFasterOpenBlas) {
  const GemmRow row{1000, 1, 45, 40, 50.0, 25.0};
  EXPECT_DOUBLE_EQ(EigenOwnRatio(row), 0.5);
  const GemmRow unmeasured{1000, 1, 45, 40, 50.0, std::nullopt};
  EXPECT_DOUBLE_EQ(EigenOwnRatio(unmeasured), 0.0);
}

TEST(BenchGemmTest, CsvHasPlainNumbersAndEmptyCellsForWhatWasNotMeasured) {
  GemmReport report;
  report.peak_gflops_per_core = 100;
  report.rows = {GemmRow{1000, 2, 90, 80, 100.0, 45.0},
                 GemmRow{500, 1, 40, 50, std::nullopt, std::nullopt}};
  const Table table = GemmCsvTable(report);
  ASSERT_EQ(table.columns.size(), 9u);
  EXPECT_EQ(table.columns[2], "parlab_gflops");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"1000", "2", "90", "80", "100", "0.9", "0.45",
                                                     "45", "0.45"}));
  EXPECT_EQ(table.rows[1][4], "");  // no child
  EXPECT_EQ(table.rows[1][7], "");  // no Eigen-own
  EXPECT_EQ(table.rows[1][5], "0.8");
  EXPECT_EQ(CsvTable(table).substr(0, 16), "n,threads,parlab");
}

}  // namespace
}  // namespace parlab
