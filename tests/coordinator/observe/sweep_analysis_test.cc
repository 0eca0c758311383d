// The sweep's arithmetic on series whose answers are known: Karp–Flatt,
// Amdahl (a synthetic series must give back its serial fraction), efficiency,
// and the oversubscription marks that keep points out of the fit.
#include "coordinator/observe/sweep_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace parlab {
namespace {

TEST(SweepAnalysisTest, KarpFlattIsUndefinedAtOneUnit) {
  EXPECT_FALSE(KarpFlatt(1.0, 1).has_value());
  EXPECT_FALSE(KarpFlatt(0.9, 1).has_value());
}

TEST(SweepAnalysisTest, KarpFlattOfKnownPoints) {
  EXPECT_NEAR(*KarpFlatt(4.0, 4), 0.0, 1e-12);  // ideal: no serial fraction
  EXPECT_NEAR(*KarpFlatt(1.0, 4), 1.0, 1e-12);  // no speedup: all serial
  // (1/3.2 - 1/4) / (1 - 1/4) = 0.0625 / 0.75
  EXPECT_NEAR(*KarpFlatt(3.2, 4), 0.0625 / 0.75, 1e-12);
  EXPECT_FALSE(KarpFlatt(0.0, 4).has_value());
}

TEST(SweepAnalysisTest, KarpFlattOfAnAmdahlSeriesIsItsSerialFraction) {
  for (double p : {2.0, 3.0, 8.0, 64.0}) {
    EXPECT_NEAR(*KarpFlatt(AmdahlSpeedup(0.15, p), p), 0.15, 1e-12) << "p = " << p;
  }
}

TEST(SweepAnalysisTest, AmdahlSpeedupAtTheBounds) {
  EXPECT_DOUBLE_EQ(AmdahlSpeedup(0.0, 8), 8.0);
  EXPECT_DOUBLE_EQ(AmdahlSpeedup(1.0, 8), 1.0);
  EXPECT_DOUBLE_EQ(AmdahlSpeedup(0.3, 1), 1.0);
}

TEST(SweepAnalysisTest, FitRecoversTheSerialFractionOfASyntheticSeries) {
  for (double f : {0.0, 0.05, 0.1, 0.37, 0.9, 1.0}) {
    std::vector<ScalingPoint> points;
    for (double p : {1.0, 2.0, 4.0, 8.0}) points.push_back({p, AmdahlSpeedup(f, p)});
    const pb::AmdahlFit fit = FitAmdahl(points);
    ASSERT_TRUE(fit.fitted());
    EXPECT_NEAR(fit.serial_fraction(), f, 1e-7) << "f = " << f;
    EXPECT_NEAR(fit.residual_rms(), 0.0, 1e-6);
    EXPECT_EQ(fit.points(), 4);
    if (f > 0) {
      EXPECT_NEAR(fit.max_speedup(), 1 / f, 1e-4);
    }
  }
}

TEST(SweepAnalysisTest, FitOfNoisyPointsHasTheResidualItReports) {
  const std::vector<ScalingPoint> points = {{1, 1.02}, {2, 1.75}, {4, 2.6}, {8, 3.1}};
  const pb::AmdahlFit fit = FitAmdahl(points);
  ASSERT_TRUE(fit.fitted());
  double sum = 0;
  for (const ScalingPoint& point : points) {
    const double error = point.speedup - AmdahlSpeedup(fit.serial_fraction(), point.p);
    sum += error * error;
  }
  EXPECT_NEAR(fit.residual_rms(), std::sqrt(sum / 4), 1e-12);
  // A least-squares minimum: nudging f either way fits worse.
  auto error_at = [&](double f) {
    double s = 0;
    for (const ScalingPoint& point : points) {
      s += std::pow(point.speedup - AmdahlSpeedup(f, point.p), 2);
    }
    return s;
  };
  EXPECT_LE(sum, error_at(fit.serial_fraction() + 1e-4));
  EXPECT_LE(sum, error_at(fit.serial_fraction() - 1e-4));
}

TEST(SweepAnalysisTest, FitStaysWithinTheLaw) {
  // Superlinear (caches) and slower than serial (a lock): the bounds of f.
  EXPECT_DOUBLE_EQ(FitAmdahl({{1, 1}, {2, 2.5}, {4, 5.5}}).serial_fraction(), 0.0);
  EXPECT_DOUBLE_EQ(FitAmdahl({{1, 1}, {2, 0.8}, {4, 0.7}}).serial_fraction(), 1.0);
}

TEST(SweepAnalysisTest, NothingToFitWithoutAPointBeyondOneUnit) {
  EXPECT_FALSE(FitAmdahl({}).fitted());
  EXPECT_FALSE(FitAmdahl({{1, 0.98}}).fitted());
}

pb::JobSummary Summary(double wall_mean_s, double ipc_share = 0) {
  pb::JobSummary summary;
  summary.set_workload("loop");
  summary.set_tasks(40);
  summary.set_warmup(1);
  summary.set_trials(5);
  summary.set_wall_mean_s(wall_mean_s);
  summary.set_wall_std_s(wall_mean_s / 100);
  summary.set_wall_cv(0.01);
  summary.set_wall_ci95_low_s(wall_mean_s * 0.99);
  summary.set_wall_ci95_high_s(wall_mean_s * 1.01);
  summary.set_ipc_share(ipc_share);
  return summary;
}

TEST(SweepAnalysisTest, ReportHasSpeedupEfficiencyAndKarpFlattPerPoint) {
  const double f = 0.2;
  std::vector<SweepMeasurement> measurements;
  for (int p : {1, 2, 4}) {
    measurements.push_back({"threads", p, p, Summary(1.0 / AmdahlSpeedup(f, p), 0.01 * p)});
  }
  const pb::SweepReport report = BuildSweepReport(Summary(1.0), measurements, 8);
  ASSERT_EQ(report.series_size(), 1);
  const pb::SweepSeries& series = report.series(0);
  EXPECT_EQ(series.mode(), "threads");
  ASSERT_EQ(series.points_size(), 3);
  for (const pb::SweepPoint& point : series.points()) {
    const double p = point.parallel_units();
    EXPECT_NEAR(point.speedup(), AmdahlSpeedup(f, p), 1e-12);
    EXPECT_NEAR(point.efficiency(), point.speedup() / p, 1e-12);
    EXPECT_NEAR(point.ipc_share(), 0.01 * p, 1e-12);
    EXPECT_FALSE(point.oversubscribed());
    EXPECT_EQ(point.summary().speedup(), point.speedup());
    if (p == 1) {
      EXPECT_FALSE(point.has_karp_flatt());
    } else {
      ASSERT_TRUE(point.has_karp_flatt());
      EXPECT_NEAR(point.karp_flatt(), f, 1e-12);
    }
  }
  EXPECT_NEAR(series.amdahl().serial_fraction(), f, 1e-7);
  EXPECT_EQ(report.usable_cores(), 8);
  EXPECT_EQ(report.tasks(), 40);
  EXPECT_EQ(report.trials(), 5);
  EXPECT_TRUE(report.warnings().empty());
}

TEST(SweepAnalysisTest, OversubscribedPointsAreMarkedAndLeftOutOfTheFit) {
  // On 2 cores, 4 workers time-slice: the p = 4 point is off the law on
  // purpose, and the fit must still give back f from p = 1 and 2.
  const double f = 0.1;
  std::vector<SweepMeasurement> measurements = {
      {"procs", 1, 1, Summary(1.0)},       {"procs", 2, 2, Summary(1.0 / AmdahlSpeedup(f, 2))},
      {"procs", 4, 4, Summary(1.0 / 1.5)}, {"gil", 1, 1, Summary(1.0)},
      {"gil", 2, 2, Summary(1.1)},
  };
  const pb::SweepReport report = BuildSweepReport(Summary(1.0), measurements, 2);
  ASSERT_EQ(report.series_size(), 2);
  EXPECT_EQ(report.series(0).mode(), "procs");
  EXPECT_EQ(report.series(1).mode(), "gil");
  const pb::SweepSeries& procs = report.series(0);
  EXPECT_FALSE(procs.points(0).oversubscribed());
  EXPECT_FALSE(procs.points(1).oversubscribed());
  EXPECT_TRUE(procs.points(2).oversubscribed());
  EXPECT_EQ(procs.amdahl().points(), 2);
  EXPECT_NEAR(procs.amdahl().serial_fraction(), f, 1e-7);
  // The oversubscribed point still has its own figures.
  EXPECT_NEAR(procs.points(2).speedup(), 1.5, 1e-12);
  EXPECT_NEAR(procs.points(2).efficiency(), 1.5 / 4, 1e-12);
  bool said = false;
  for (const std::string& warning : report.warnings()) {
    said = said || warning.find("oversubscribed") != std::string::npos;
  }
  EXPECT_TRUE(said);
}

TEST(SweepAnalysisTest, WarningsAreSaidOnce) {
  pb::JobSummary noisy = Summary(1.0);
  noisy.add_warnings("noisy: CV 9.0% > 5%");
  noisy.add_warnings("not a release build (Debug): timings are not representative");
  noisy.add_warnings("oversubscribed: 4 threads > 2 cores");
  std::vector<SweepMeasurement> measurements = {{"threads", 1, 1, noisy}, {"threads", 4, 4, noisy}};
  const pb::SweepReport report = BuildSweepReport(Summary(1.0), measurements, 2);
  int build = 0, noise = 0, oversubscribed = 0;
  for (const std::string& warning : report.warnings()) {
    build += warning.find("release build") != std::string::npos;
    noise += warning.find("noisy") != std::string::npos;
    oversubscribed += warning.find("oversubscribed") != std::string::npos;
  }
  EXPECT_EQ(build, 1);
  EXPECT_EQ(noise, 2);  // noise is per point: "threads, 1 worker: noisy ..." and 4 workers
  EXPECT_EQ(oversubscribed, 1);
}

TEST(SweepAnalysisTest, ASpeedupInsideTheNoiseIsNoted) {
  pb::JobSummary seq = Summary(1.0);
  seq.set_mode("seq");
  pb::JobSummary clear = Summary(0.5);
  clear.set_mode("procs");
  pb::JobSummary noisy = Summary(0.95);  // 1.05×, its trials spread over seq's
  noisy.set_mode("procs");
  noisy.set_wall_cv(0.3);
  noisy.set_wall_ci95_low_s(0.6);
  noisy.set_wall_ci95_high_s(1.3);
  const pb::SweepReport report =
      BuildSweepReport(seq, {{"procs", 2, 2, clear}, {"procs", 4, 4, noisy}}, 8);
  ASSERT_EQ(report.notes_size(), 1);
  EXPECT_EQ(report.notes(0),
            "procs, 4 workers: its speedup of 1.05× against seq is not distinguishable here (CV "
            "30% and 1.0%): rerun with more --trials or on a quieter machine");
}

}  // namespace
}  // namespace parlab
