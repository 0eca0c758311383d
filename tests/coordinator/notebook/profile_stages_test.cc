#include "coordinator/notebook/profile_stages.h"

#include <gtest/gtest.h>

#include <sstream>

#include "coordinator/report/progress.h"

namespace parlab {
namespace {

TEST(ProfileStagesTest, SumsByNameSortsByTotalAndShares) {
  // Two calls of a pca-like kernel, times in ns.
  const std::vector<std::vector<StageTime>> calls = {
      {{"normalise", 100}, {"covariance", 300}, {"svd", 500}, {"projection", 50}},
      {{"normalise", 100}, {"covariance", 100}, {"svd", 700}, {"projection", 50}},
  };
  const ProfileReport report = AggregateStages(calls, 2000e-9);
  ASSERT_EQ(report.stages.size(), 4u);
  EXPECT_EQ(report.runs, 2);
  EXPECT_EQ(report.stages[0].name, "svd");
  EXPECT_EQ(report.stages[1].name, "covariance");
  EXPECT_EQ(report.stages[2].name, "normalise");
  EXPECT_EQ(report.stages[3].name, "projection");
  EXPECT_EQ(report.stages[0].calls, 2);
  EXPECT_NEAR(report.stages[0].total_s, 1200e-9, 1e-15);
  EXPECT_NEAR(report.stages[0].per_call_s, 600e-9, 1e-15);
  EXPECT_NEAR(report.stages[0].share, 0.6, 1e-12);
  EXPECT_NEAR(report.staged_total_s, 1900e-9, 1e-15);
  EXPECT_NEAR(report.unstaged_s(), 100e-9, 1e-15);
  double shares = 0;
  for (const StageRow& row : report.stages) shares += row.share;
  EXPECT_NEAR(shares + report.unstaged_s() / report.wall_total_s, 1.0, 1e-12);
}

TEST(ProfileStagesTest, CsvHasARowPerStageAndOneOutsideThatAddUpToTheWall) {
  ProfileReport report = AggregateStages({{{"svd", 600}, {"gemm, blocked", 300}}}, 1000e-9);
  report.workload = "pca rows=4";
  EXPECT_EQ(ProfileCsv(report),
            "workload,stage,calls,total_s,per_call_s,share\n"
            "pca rows=4,svd,1,6e-07,6e-07,0.6\n"
            "pca rows=4,\"gemm, blocked\",1,3e-07,3e-07,0.3\n"
            "pca rows=4,(outside stages),1,1e-07,1e-07,0.1\n");
}

TEST(ProfileStagesTest, RepeatedNameInOneCallCountsTwice) {
  const ProfileReport report = AggregateStages({{{"pool", 10}, {"pool", 30}}}, 40e-9);
  ASSERT_EQ(report.stages.size(), 1u);
  EXPECT_EQ(report.stages[0].calls, 2);
  EXPECT_NEAR(report.stages[0].per_call_s, 20e-9, 1e-15);
  EXPECT_NEAR(report.unstaged_s(), 0, 1e-15);
}

TEST(ProfileStagesTest, ProfilesPcaStages) {
  ProfileOptions options;
  options.params = FindKernel("pca")->Defaults();
  options.params.set_rows(200);
  options.params.set_cols(20);
  options.params.set_k(3);
  options.runs = 2;
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, /*enabled=*/false, 80, clock, 0);
  options.progress = &progress;
  Result<ProfileReport> report = ProfileStages(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // The warm-up and each measured call, counted as each ended.
  EXPECT_EQ(progress.done(), 3);
  EXPECT_EQ(progress.total(), 3);
  ASSERT_EQ(report->stages.size(), 4u);
  for (const StageRow& row : report->stages) EXPECT_EQ(row.calls, 2) << row.name;
  for (size_t i = 1; i < report->stages.size(); ++i) {
    EXPECT_GE(report->stages[i - 1].total_s, report->stages[i].total_s);
  }
  std::ostringstream out;
  PrintProfile(*report, out);
  for (const char* stage : {"normalise", "covariance", "svd", "projection", "total (wall)"}) {
    EXPECT_NE(out.str().find(stage), std::string::npos) << stage;
  }
}

TEST(ProfileStagesTest, WorkloadWithoutStagesIsABadArgument) {
  ProfileOptions options;
  options.params = FindKernel("noop")->Defaults();
  Result<ProfileReport> report = ProfileStages(options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("pca, conv"), std::string::npos);
}

}  // namespace
}  // namespace parlab
