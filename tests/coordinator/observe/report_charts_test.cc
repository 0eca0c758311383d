#include "coordinator/observe/report_charts.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace parlab {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportChartsTest, NothingToDrawGivesNoChart) {
  EXPECT_EQ(SpeedupChart({}, "t"), "");
  EXPECT_EQ(PhaseStackChart({}, "t"), "");
  EXPECT_EQ(HistogramChart({}, "t"), "");
  EXPECT_EQ(TimelineChart({}, 100, "t"), "");
}

TEST(ReportChartsTest, SpeedupHasAPointPerMeasurementTheIdealAndTheFit) {
  SpeedupSeries fitted{"procs", {{1, 1}, {2, 1.9}, {4, 3.5}}, 0.05};
  SpeedupSeries plain{"threads", {{1, 1}, {2, 1.2}}, std::nullopt};
  const std::string svg = SpeedupChart({fitted, plain}, "speedup");
  EXPECT_EQ(Count(svg, "<circle"), 5u);
  EXPECT_NE(svg.find(">ideal</text>"), std::string::npos);
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"6 4\""), 1u);  // one Amdahl curve: only procs is fitted
  EXPECT_NE(svg.find("Amdahl f = 0.050"), std::string::npos);
  EXPECT_NE(svg.find("procs: p = 4, speedup 3.50×"), std::string::npos);
}

TEST(ReportChartsTest, PhaseBarsStackEveryPhaseOfEveryBar) {
  PhaseBar shm{"procs shm", {1, 2, 0.5, 3}};
  PhaseBar uds{"procs <uds>", {2, 8, 1, 4}};
  const std::string svg = PhaseStackChart({shm, uds}, "phases");
  EXPECT_NE(svg.find("procs shm: wake 2.00 µs"), std::string::npos);
  EXPECT_NE(svg.find(">15.0 µs</text>"), std::string::npos);  // the uds bar's total
  EXPECT_NE(svg.find("procs &lt;uds&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<uds>"), std::string::npos);
}

TEST(ReportChartsTest, HistogramHasABarPerBin) {
  std::vector<pb::HistogramBin> bins(3);
  bins[0].set_low_us(1);
  bins[0].set_high_us(2);
  bins[0].set_count(5);
  bins[1].set_low_us(2);
  bins[1].set_high_us(5);
  bins[1].set_count(40);
  bins[2].set_low_us(5);
  bins[2].set_high_us(10);
  bins[2].set_count(0);
  const std::string svg = HistogramChart(bins, "hist");
  EXPECT_NE(svg.find("2 – 5 µs: 40 tasks"), std::string::npos);
  EXPECT_NE(svg.find("5 – 10 µs: 0 tasks"), std::string::npos);
}

std::vector<TaskRecord> Tasks(int count, int workers) {
  std::vector<TaskRecord> records;
  for (int i = 0; i < count; ++i) {
    TaskRecord r;
    r.id = static_cast<uint64_t>(i);
    r.worker = i % workers;
    r.t.submit_ns = 1000 + i * 100;
    r.t.compute_start_ns = r.t.submit_ns + 10;
    r.t.compute_end_ns = r.t.submit_ns + 90;
    r.t.result_dequeued_ns = r.t.submit_ns + 95;
    records.push_back(r);
  }
  TaskRecord warmup = records[0];
  warmup.trial = -1;  // left out
  warmup.id = 999;
  records.push_back(warmup);
  return records;
}

TEST(ReportChartsTest, TimelineDrawsTheFirstTasksInALanePerWorker) {
  const std::string svg = TimelineChart(Tasks(10, 3), 4, "timeline");
  // Three rectangles a task (waiting, compute, return), first 4 tasks only.
  EXPECT_EQ(Count(svg, "<rect"), 4u * 3 + 4 /* legend swatches */);
  EXPECT_NE(svg.find(">worker 0</text>"), std::string::npos);
  EXPECT_NE(svg.find(">worker 2</text>"), std::string::npos);
  EXPECT_NE(svg.find("task 3 on worker 0"), std::string::npos);
  EXPECT_EQ(svg.find("task 4 on"), std::string::npos);
  EXPECT_EQ(svg.find("task 999"), std::string::npos);
}

TEST(ReportChartsTest, HostileStampsDrawWithoutOverflow) {
  std::vector<TaskRecord> records = Tasks(2, 1);
  records[0].t.submit_ns = INT64_MIN + 1;
  records[0].t.compute_start_ns = -5;
  records[1].t.compute_end_ns = INT64_MAX;
  records[1].t.result_dequeued_ns = INT64_MAX;
  const std::string svg = TimelineChart(records, 10, "hostile");
  EXPECT_NE(svg.find("task 0 on worker 0"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(ReportChartsTest, NotFiniteValuesNeverReachTheSvg) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::string speedup = SpeedupChart({{"m", {{2, nan}, {inf, 3}, {4, 3}}, nan}}, "t");
  const std::string phases = PhaseStackChart({{"m", {nan, inf, -1, 2}}}, "t");
  for (const std::string* svg : {&speedup, &phases}) {
    EXPECT_FALSE(svg->empty());
    EXPECT_EQ(svg->find("nan"), std::string::npos) << *svg;
    EXPECT_EQ(svg->find("inf"), std::string::npos) << *svg;
  }
}

}  // namespace
}  // namespace parlab
