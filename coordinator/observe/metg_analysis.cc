#include "coordinator/observe/metg_analysis.h"

#include <algorithm>
#include <cmath>

namespace parlab {

std::vector<int64_t> MetgSteps(int64_t min_us, int64_t max_us, double factor) {
  std::vector<int64_t> steps;
  for (double us = static_cast<double>(min_us); us <= static_cast<double>(max_us) * (1 + 1e-9);
       us *= factor) {
    const auto rounded = static_cast<int64_t>(std::llround(us));
    if (steps.empty() || rounded > steps.back()) steps.push_back(rounded);
  }
  return steps;
}

double TaskEfficiency(int64_t tasks, double task_s, int parallel_units, double wall_s) {
  if (!(wall_s > 0)) return 0;
  return static_cast<double>(tasks) * task_s / std::max(1, parallel_units) / wall_s;
}

MetgEstimate EstimateMetg(const std::vector<pb::MetgPoint>& points, double target) {
  std::vector<pb::MetgPoint> sorted = points;
  std::sort(sorted.begin(), sorted.end(), [](const pb::MetgPoint& a, const pb::MetgPoint& b) {
    return a.task_duration_s() < b.task_duration_s();
  });
  MetgEstimate estimate;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].efficiency() < target) continue;
    estimate.reached = true;
    if (i == 0 || !(sorted[i - 1].task_duration_s() > 0) || !(sorted[i].task_duration_s() > 0)) {
      estimate.at_floor = i == 0;
      estimate.metg_s = sorted[i].task_duration_s();
      return estimate;
    }
    const pb::MetgPoint& below = sorted[i - 1];
    const pb::MetgPoint& above = sorted[i];
    const double x0 = std::log(below.task_duration_s()), x1 = std::log(above.task_duration_s());
    const double rise = above.efficiency() - below.efficiency();  // > 0: below < target <= above
    const double t = rise > 0 ? (target - below.efficiency()) / rise : 1;
    estimate.metg_s = std::exp(x0 + std::clamp(t, 0.0, 1.0) * (x1 - x0));
    return estimate;
  }
  return estimate;
}

}  // namespace parlab
