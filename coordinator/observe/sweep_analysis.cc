#include "coordinator/observe/sweep_analysis.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "coordinator/report/verdict.h"

namespace parlab {

std::optional<double> KarpFlatt(double speedup, double p) {
  if (!(p > 1) || !(speedup > 0)) return std::nullopt;
  return (1 / speedup - 1 / p) / (1 - 1 / p);
}

double AmdahlSpeedup(double serial_fraction, double p) {
  return 1 / (serial_fraction + (1 - serial_fraction) / p);
}

namespace {

double SquaredError(const std::vector<ScalingPoint>& points, double f) {
  double sum = 0;
  for (const ScalingPoint& point : points) {
    const double error = point.speedup - AmdahlSpeedup(f, point.p);
    sum += error * error;
  }
  return sum;
}

// The minimum of SquaredError over f in [0, 1].
double MinimiseSerialFraction(const std::vector<ScalingPoint>& points) {
  constexpr int kGrid = 1000;
  int best = 0;
  double best_error = SquaredError(points, 0);
  for (int i = 1; i <= kGrid; ++i) {
    const double error = SquaredError(points, static_cast<double>(i) / kGrid);
    if (error < best_error) {
      best_error = error;
      best = i;
    }
  }
  // Golden-section search in the grid cells either side of the best grid point.
  double low = std::max(0, best - 1) / static_cast<double>(kGrid);
  double high = std::min(kGrid, best + 1) / static_cast<double>(kGrid);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double a = high - ratio * (high - low);
  double b = low + ratio * (high - low);
  double error_a = SquaredError(points, a);
  double error_b = SquaredError(points, b);
  for (int step = 0; step < 100 && high - low > 1e-13; ++step) {
    if (error_a < error_b) {
      high = b;
      b = a;
      error_b = error_a;
      a = high - ratio * (high - low);
      error_a = SquaredError(points, a);
    } else {
      low = a;
      a = b;
      error_a = error_b;
      b = low + ratio * (high - low);
      error_b = SquaredError(points, b);
    }
  }
  const double found = (low + high) / 2;
  // The grid's own point may still be better at a bound (f = 0 or 1 exactly).
  return SquaredError(points, found) <= best_error ? found : static_cast<double>(best) / kGrid;
}

}  // namespace

pb::AmdahlFit FitAmdahl(const std::vector<ScalingPoint>& points) {
  pb::AmdahlFit fit;
  fit.set_points(static_cast<int32_t>(points.size()));
  const bool informative = std::any_of(points.begin(), points.end(),
                                       [](const ScalingPoint& point) { return point.p > 1; });
  if (!informative) return fit;
  const double f = MinimiseSerialFraction(points);
  fit.set_fitted(true);
  fit.set_serial_fraction(f);
  fit.set_residual_rms(std::sqrt(SquaredError(points, f) / static_cast<double>(points.size())));
  fit.set_max_speedup(f > 0 ? 1 / f : 0);
  return fit;
}

pb::SweepReport BuildSweepReport(const pb::JobSummary& reference,
                                 const std::vector<SweepMeasurement>& measurements,
                                 int usable_cores) {
  pb::SweepReport report;
  report.set_workload(reference.workload());
  report.set_tasks(reference.tasks());
  report.set_warmup(measurements.empty() ? reference.warmup() : measurements[0].summary.warmup());
  report.set_trials(measurements.empty() ? reference.trials() : measurements[0].summary.trials());
  report.set_usable_cores(usable_cores);
  *report.mutable_reference() = reference;
  report.mutable_reference()->set_speedup(1);
  report.mutable_reference()->set_efficiency(1);

  std::set<std::string> warned;
  for (const std::string& warning : reference.warnings()) {
    const std::string line = warning.rfind("noisy", 0) == 0 ? "seq: " + warning : warning;
    if (warned.insert(line).second) report.add_warnings(line);
  }
  for (const SweepMeasurement& m : measurements) {
    pb::SweepSeries* series = nullptr;
    for (pb::SweepSeries& s : *report.mutable_series()) {
      if (s.mode() == m.mode) series = &s;
    }
    if (series == nullptr) {
      series = report.add_series();
      series->set_mode(m.mode);
    }
    pb::SweepPoint& point = *series->add_points();
    const double p = std::max(1, m.parallel_units);
    point.set_workers(m.workers);
    point.set_parallel_units(m.parallel_units);
    point.set_oversubscribed(usable_cores > 0 && m.parallel_units > usable_cores);
    point.set_wall_mean_s(m.summary.wall_mean_s());
    point.set_wall_std_s(m.summary.wall_std_s());
    if (m.summary.wall_mean_s() > 0) {
      point.set_speedup(reference.wall_mean_s() / m.summary.wall_mean_s());
      point.set_efficiency(point.speedup() / p);
    }
    if (std::optional<double> e = KarpFlatt(point.speedup(), p)) point.set_karp_flatt(*e);
    point.set_ipc_share(m.summary.ipc_share());
    *point.mutable_summary() = m.summary;
    point.mutable_summary()->set_speedup(point.speedup());
    point.mutable_summary()->set_efficiency(point.efficiency());
    const std::string note = SpeedupNote(point.summary(), reference, kTrialsRemedy);
    if (!note.empty()) {
      report.add_notes(m.mode + ", " + std::to_string(m.workers) +
                       (m.workers == 1 ? " worker: " : " workers: ") + note);
    }
    for (const std::string& warning : m.summary.warnings()) {
      // Oversubscription is marked on the point itself, and said once below.
      if (warning.rfind("oversubscribed", 0) == 0) continue;
      // Noise belongs to one point; anything else (the build, say) to the whole run.
      const bool per_point = warning.rfind("noisy", 0) == 0;
      const std::string line = per_point
                                   ? m.mode + ", " + std::to_string(m.workers) +
                                         (m.workers == 1 ? " worker: " : " workers: ") + warning
                                   : warning;
      if (warned.insert(line).second) report.add_warnings(line);
    }
  }
  bool any_oversubscribed = false;
  for (pb::SweepSeries& series : *report.mutable_series()) {
    std::vector<ScalingPoint> fit_points;
    for (const pb::SweepPoint& point : series.points()) {
      any_oversubscribed = any_oversubscribed || point.oversubscribed();
      if (point.oversubscribed() || point.wall_mean_s() <= 0) continue;
      fit_points.push_back(
          {static_cast<double>(std::max(1, point.parallel_units())), point.speedup()});
    }
    *series.mutable_amdahl() = FitAmdahl(fit_points);
  }
  if (any_oversubscribed) {
    report.add_warnings(
        "oversubscribed: the points marked * run more processes × threads than the " +
        std::to_string(usable_cores) + " usable cores; they are left out of the Amdahl fit");
  }
  return report;
}

}  // namespace parlab
