#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "coordinator/observe/report_charts.h"
#include "coordinator/observe/svg_chart.h"

namespace parlab {
namespace {

// A stamp the mode did not take (0) falls back to the one before it, so a
// seq or threads record still draws as one compute span.
int64_t Or(int64_t stamp, int64_t fallback) { return stamp > 0 ? stamp : fallback; }

// b − a in µs. In doubles: stamps come from a file, and the difference of two
// hostile int64 stamps can overflow.
double MicrosBetween(int64_t a, int64_t b) {
  return (static_cast<double>(b) - static_cast<double>(a)) / 1e3;
}

std::string Micros(int64_t a, int64_t b) { return fmt::format("{:.1f} µs", MicrosBetween(a, b)); }

}  // namespace

std::string TimelineChart(const std::vector<TaskRecord>& records, size_t max_tasks,
                          std::string_view title) {
  // The earliest measured trial (warmups have trial < 0).
  int32_t trial = -1;
  for (const TaskRecord& r : records) {
    if (r.trial >= 0 && (trial < 0 || r.trial < trial)) trial = r.trial;
  }
  std::vector<const TaskRecord*> tasks;
  for (const TaskRecord& r : records) {
    if (r.trial == trial && trial >= 0 && r.t.compute_end_ns > 0) tasks.push_back(&r);
  }
  if (tasks.empty() || max_tasks == 0) return "";
  std::sort(tasks.begin(), tasks.end(), [](const TaskRecord* a, const TaskRecord* b) {
    return Or(a->t.submit_ns, a->t.compute_start_ns) < Or(b->t.submit_ns, b->t.compute_start_ns);
  });
  if (tasks.size() > max_tasks) tasks.resize(max_tasks);

  std::map<int32_t, int> lanes;  // worker -> lane, in worker order
  int64_t t0 = INT64_MAX;
  int64_t t1 = INT64_MIN;
  for (const TaskRecord* r : tasks) {
    lanes.emplace(r->worker, 0);
    const int64_t start = Or(r->t.submit_ns, r->t.compute_start_ns);
    const int64_t end = Or(r->t.result_dequeued_ns, r->t.compute_end_ns);
    t0 = std::min(t0, start);
    t1 = std::max(t1, end);
  }
  int lane = 0;
  for (auto& entry : lanes) entry.second = lane++;
  // Lanes past a few dozen would not be readable; the first ones tell the story.
  constexpr int kMaxLanes = 64;
  const int shown_lanes = std::min(lane, kMaxLanes);

  constexpr int kWidth = 900;
  constexpr double kLeft = 80, kRight = 880, kTop = 40, kLaneHeight = 18, kLaneGap = 4;
  const double bottom = kTop + shown_lanes * (kLaneHeight + kLaneGap);
  const int height = static_cast<int>(bottom) + 64;
  const double span_us = std::max(MicrosBetween(t0, t1), 1e-3);
  const std::vector<double> x_ticks = NiceTicks(0, span_us, 8);
  const Scale x(0, x_ticks.back(), kLeft, kRight);
  const Scale y(0, 1, bottom, kTop);
  SvgCanvas canvas(kWidth, height, title);
  canvas.Text(20, 20, title, "start", 14, "#111");
  canvas.Axes(x, y, x_ticks, {}, "µs since the first task was submitted", "");
  for (const auto& [worker, index] : lanes) {
    if (index >= kMaxLanes) break;
    canvas.Text(kLeft - 6, kTop + index * (kLaneHeight + kLaneGap) + kLaneHeight / 2 + 4,
                "worker " + std::to_string(worker), "end", 11);
  }
  const auto at = [&](int64_t ns) { return x(MicrosBetween(t0, ns)); };
  for (const TaskRecord* r : tasks) {
    const int index = lanes[r->worker];
    if (index >= kMaxLanes) continue;
    const double top = kTop + index * (kLaneHeight + kLaneGap);
    const int64_t compute_start = r->t.compute_start_ns;
    const int64_t compute_end = r->t.compute_end_ns;
    const int64_t submit = Or(r->t.submit_ns, compute_start);
    const int64_t answered = Or(r->t.result_dequeued_ns, compute_end);
    const std::string tip =
        fmt::format("task {} on worker {}{}: waiting {}, compute {}, return {}", r->id, r->worker,
                    r->attempt > 1 ? fmt::format(" (attempt {})", r->attempt) : "",
                    Micros(submit, compute_start), Micros(compute_start, compute_end),
                    Micros(compute_end, answered));
    const bool ok = r->outcome == TaskOutcome::kOk;
    canvas.Rect(at(submit), top + 5, at(compute_start) - at(submit), kLaneHeight - 10, "#c9d7e8",
                tip);
    // Compute at least one pixel wide, so a short task stays visible.
    canvas.Rect(at(compute_start), top, std::max(at(compute_end) - at(compute_start), 1.0),
                kLaneHeight, ok ? SeriesColour(0) : SeriesColour(3), tip);
    canvas.Rect(at(compute_end), top + 5, at(answered) - at(compute_end), kLaneHeight - 10,
                SeriesColour(1), tip);
  }
  std::vector<std::pair<std::string, std::string>> legend = {
      {"waiting (encode, queue, wake-up, decode)", "#c9d7e8"},
      {"compute", std::string(SeriesColour(0))},
      {"return", std::string(SeriesColour(1))},
      {"failed", std::string(SeriesColour(3))}};
  canvas.Legend(kLeft, height - 8, legend);
  if (lane > kMaxLanes) {
    canvas.Text(kRight, height - 8, fmt::format("first {} of {} workers", kMaxLanes, lane), "end",
                11, "#555");
  }
  return canvas.Finish();
}

}  // namespace parlab
