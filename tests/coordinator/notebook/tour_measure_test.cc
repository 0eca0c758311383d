#include "coordinator/notebook/tour_measure.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "coordinator/report/ceiling.h"

namespace parlab {
namespace {

TEST(TourMeasureTest, RowFromTimesKeepsEveryTrialAndItsStatistics) {
  const pb::TourRow row = RowFromTimes("x", "parlab", {1.0, 2.0, 3.0}, 2);
  EXPECT_EQ(row.label(), "x");
  EXPECT_EQ(row.source(), "parlab");
  EXPECT_EQ(row.trials(), 3);
  EXPECT_EQ(row.warmup(), 2);
  EXPECT_DOUBLE_EQ(row.mean_s(), 2.0);
  EXPECT_DOUBLE_EQ(row.std_s(), 1.0);
  EXPECT_DOUBLE_EQ(row.min_s(), 1.0);
  EXPECT_LT(row.ci95_low_s(), 2.0);
  EXPECT_GT(row.ci95_high_s(), 2.0);
  ASSERT_EQ(row.times_s_size(), 3);
  EXPECT_EQ(row.times_s(2), 3.0);
}

TEST(TourMeasureTest, SpeedupIsTheReferenceTimeOverThisTime) {
  const pb::TourRow seq = RowFromTimes("seq", "parlab", {4.0, 4.0}, 0);
  pb::TourRow fast = RowFromTimes("fast", "parlab", {1.0, 1.0}, 0);
  SetRowSpeedup(fast, seq);
  EXPECT_EQ(fast.reference(), "seq");
  EXPECT_DOUBLE_EQ(fast.speedup(), 4.0);
}

pb::Ceiling TwoCoresDeliver(double ceiling) {
  pb::CeilingProbe probe;
  probe.set_when("before");
  probe.set_cores(2);
  probe.set_ceiling(ceiling);
  return SummarizeCeiling(2, {probe});
}

TEST(TourMeasureTest, ParallelRowsStandBesideTheCeilingOverTheirSerialReference) {
  pb::TourSection section;
  pb::TourRow& seq = *section.add_rows() = RowFromTimes("seq", "parlab", {4.0}, 0);
  seq.set_parallel_units(1);
  pb::TourRow procs = RowFromTimes("procs", "parlab", {2.5}, 0);
  procs.set_parallel_units(2);
  SetRowSpeedup(procs, seq);
  *section.add_rows() = procs;
  pb::TourRow threads = RowFromTimes("2 threads", "parlab", {2.2}, 0);
  threads.set_threads(2);  // a call's threads count when it has no parallel_units
  SetRowSpeedup(threads, section.rows(0));
  *section.add_rows() = threads;
  // Same units as its reference (a back-end against another): no ceiling applies.
  pb::TourRow other = RowFromTimes("other", "parlab", {1.0}, 0);
  other.set_parallel_units(1);
  SetRowSpeedup(other, section.rows(0));
  *section.add_rows() = other;
  // Units not known (the notebook's Python): none either.
  pb::TourRow python = RowFromTimes("python procs", "python", {2.0}, 0);
  SetRowSpeedup(python, section.rows(0));
  *section.add_rows() = python;

  SetPossibleSpeedups(section, TwoCoresDeliver(1.8));
  EXPECT_EQ(section.rows(0).possible_speedup(), 0);
  EXPECT_DOUBLE_EQ(section.rows(1).possible_speedup(), 1.8);
  EXPECT_DOUBLE_EQ(section.rows(2).possible_speedup(), 1.8);
  EXPECT_EQ(section.rows(3).possible_speedup(), 0);
  EXPECT_EQ(section.rows(4).possible_speedup(), 0);

  SetPossibleSpeedups(section, pb::Ceiling());  // nothing probed
  EXPECT_EQ(section.rows(1).possible_speedup(), 0);
}

TEST(TourMeasureTest, GflopsAreFlopsOverTheMeanTime) {
  pb::TourRow row = RowFromTimes("m", "parlab", {0.5, 1.5}, 0);
  SetRowFlops(row, 4e9);
  EXPECT_DOUBLE_EQ(row.flops(), 4e9);
  EXPECT_DOUBLE_EQ(row.gflops(), 4.0);
}

TEST(TourMeasureTest, ScalingWordsFollowTheThresholds) {
  EXPECT_EQ(ScalingWord(0.98, 2), "no gain");
  EXPECT_EQ(ScalingWord(1.24, 2), "no gain");
  EXPECT_EQ(ScalingWord(1.3, 2), "partly parallel");
  EXPECT_EQ(ScalingWord(1.5, 2), "scales");
  EXPECT_EQ(ScalingWord(1.9, 2), "scales");
  EXPECT_EQ(ScalingWord(5.0, 10), "partly parallel");
  EXPECT_EQ(ScalingWord(9.0, 10), "scales");
}

TEST(TourMeasureTest, PythonRowsHaveSpeedupsAgainstTheFirstKey) {
  google::protobuf::Struct answer;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(
          R"({"seq_s": [2.0, 2.0], "threads_s": [2.0, 2.2], "procs_s": [1.0, 1.0]})", &answer)
          .ok());
  const std::vector<pb::TourRow> rows =
      PythonRows(answer, {{"seq_s", "seq"}, {"missing_s", "missing"}, {"procs_s", "procs"}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].source(), "python");
  EXPECT_TRUE(rows[0].reference().empty());
  EXPECT_EQ(rows[1].label(), "procs");
  EXPECT_EQ(rows[1].reference(), "seq");
  EXPECT_DOUBLE_EQ(rows[1].speedup(), 2.0);
}

TEST(TourMeasureTest, KernelWithNValidates) {
  EXPECT_TRUE(KernelWithN("matmul", 10).ok());
  EXPECT_FALSE(KernelWithN("matmul", 0).ok());
  EXPECT_FALSE(KernelWithN("no-such-kernel", 10).ok());
}

TEST(TourMeasureTest, KernelCallRunsTheKernelOnItsOwnInputs) {
  Result<KernelParams> params = KernelWithN("matmul", 8);
  ASSERT_TRUE(params.ok());
  Result<KernelCall> call = KernelCall::Make(*params);
  ASSERT_TRUE(call.ok());
  const KernelResult first = call->Run(1);
  const KernelResult second = call->Run(2);
  EXPECT_DOUBLE_EQ(first.flops, 2.0 * 8 * 8 * 8);
  EXPECT_NEAR(first.checksum, second.checksum, 1e-9 * std::abs(first.checksum) + 1e-12);
}

TEST(TourMeasureTest, TimeTrialsRunsWarmupsUntimed) {
  int calls = 0;
  const std::vector<double> times = TimeTrials(2, 3, [&] { ++calls; });
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(times.size(), 3u);
}

}  // namespace
}  // namespace parlab
