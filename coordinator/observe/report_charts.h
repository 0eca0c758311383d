#pragma once
// The charts of `parlab report`, each one self-contained inline SVG text
// (svg_chart.h): speedup against parallel units with the ideal line and the
// Amdahl fit, the overhead's phases as a stacked bar per mode or log, the
// per-task overhead histogram, and per-worker timelines of the first tasks.
// Each takes plain data, so tests feed it numbers; each returns "" when it has
// nothing to draw. Pure functions; safe from any thread.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/observe/sweep_analysis.h"
#include "proto/parlab.pb.h"
#include "shared/task_record.h"

namespace parlab {

struct SpeedupSeries {
  std::string label;                      // a mode, or a log
  std::vector<ScalingPoint> points;       // p = parallel units
  std::optional<double> serial_fraction;  // Amdahl's f, drawn as a dashed curve
};
// Speedup (y) against parallel units (x), the ideal S = p as a grey line.
std::string SpeedupChart(const std::vector<SpeedupSeries>& series, std::string_view title);

// The overhead's phases (shared/phases.h), in stacking order.
inline constexpr std::array<const char*, 4> kOverheadPhases = {"encode", "wake", "decode",
                                                               "return"};
struct PhaseBar {
  std::string label;                 // a mode, or a log
  std::array<double, 4> phase_us{};  // per task, in kOverheadPhases order
};
// One horizontal bar per entry, its phases stacked, in µs per task.
std::string PhaseStackChart(const std::vector<PhaseBar>& bars, std::string_view title);

// The histogram of per-task overhead (log_analysis.h LogHistogram's bins):
// one bar per bin, evenly spaced, labelled by its edges.
std::string HistogramChart(const std::vector<pb::HistogramBin>& bins, std::string_view title);

// One lane per worker, the first `max_tasks` tasks of the earliest measured
// trial (by submit stamp) drawn from submit to answer, their phases shaded:
// waiting (submit → compute start), compute, return (compute end → answer
// taken). Hovering a task shows its id and phases.
std::string TimelineChart(const std::vector<TaskRecord>& records, size_t max_tasks,
                          std::string_view title);

}  // namespace parlab
