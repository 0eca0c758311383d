#include "coordinator/observe/metg_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>

#include "coordinator/report/ceiling.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"

namespace parlab {

void PrintMetgTable(const pb::MetgReport& report, std::ostream& out) {
  out << fmt::format(
      "parlab metg: the smallest task at which a mode keeps {:.0f}% efficiency (Task Bench's "
      "METG)\n",
      report.efficiency_target() * 100);
  out << fmt::format(
      "{} worker{}, {} usable core{}; spin tasks of {} to {} µs of work; efficiency = (tasks × "
      "task duration / p) / wall, task duration: its mean in seq\n",
      report.workers(), report.workers() == 1 ? "" : "s", report.usable_cores(),
      report.usable_cores() == 1 ? "" : "s", report.min_us(), report.max_us());
  // The efficiency the machine's ceiling allows at p: no task size can beat it.
  const bool ceiling = report.ceiling().probes_size() > 0;
  out << fmt::format("{:<8} {:>5} {:>12} {:>15}  {}\n", "mode", "p", "METG",
                     ceiling ? "ceiling allows" : "", "");
  for (const pb::MetgMode& mode : report.modes()) {
    std::string metg;
    std::string comment;
    if (!mode.reached()) {
      metg = "not reached";
      double best = 0;
      double best_task_s = 0;
      for (const pb::MetgPoint& point : mode.points()) {
        if (point.efficiency() > best) {
          best = point.efficiency();
          best_task_s = point.task_duration_s();
        }
      }
      comment = fmt::format("best {:.0f}% at {} tasks", best * 100, FormatSeconds(best_task_s));
    } else if (mode.at_floor()) {
      metg = "<= " + FormatSeconds(mode.metg_s());
      comment = "reached at the smallest task tried";
    } else {
      metg = FormatSeconds(mode.metg_s());
    }
    const int p = std::max(1, mode.parallel_units());
    const std::string allows =
        ceiling ? fmt::format("{:.0f}%", 100 * PossibleSpeedup(report.ceiling(), p) / p) : "";
    out << fmt::format("{:<8} {:>5} {:>12} {:>15}  {}\n", mode.mode(), mode.parallel_units(), metg,
                       allows, comment);
  }

  // Efficiency by step: one row per spin size, one column per mode; a mode
  // stops once it has reached the target, so later cells are empty.
  std::map<int64_t, double> task_s_by_us;
  for (const pb::MetgMode& mode : report.modes()) {
    for (const pb::MetgPoint& point : mode.points()) {
      task_s_by_us[point.spin_us()] = point.task_duration_s();
    }
  }
  if (const std::string line = CeilingLine(report.ceiling()); !line.empty()) out << line << "\n";
  if (task_s_by_us.empty()) return;
  out << fmt::format("\n{:>8} {:>10}", "spin µs", "task");
  for (const pb::MetgMode& mode : report.modes()) out << fmt::format(" {:>9}", mode.mode());
  out << "\n";
  for (const auto& [us, task_s] : task_s_by_us) {
    out << fmt::format("{:>8} {:>10}", us, FormatSeconds(task_s));
    for (const pb::MetgMode& mode : report.modes()) {
      const auto found =
          std::find_if(mode.points().begin(), mode.points().end(),
                       [us = us](const pb::MetgPoint& p) { return p.spin_us() == us; });
      out << fmt::format(" {:>9}", found == mode.points().end()
                                       ? std::string("")
                                       : fmt::format("{:.0f}%", found->efficiency() * 100));
    }
    out << "\n";
  }
  if (const std::string line = LoadLine(report.load()); !line.empty()) out << line << "\n";
}

Table MetgCsvTable(const pb::MetgReport& report) {
  auto g = [](double v) { return fmt::format("{:.9g}", v); };
  Table table;
  table.columns = {"mode",    "parallel_units", "spin_us",    "task_duration_s",
                   "tasks",   "wall_mean_s",    "efficiency", "compute_median_s",
                   "reached", "at_floor",       "metg_s",     "possible_efficiency"};
  const bool ceiling = report.ceiling().probes_size() > 0;
  for (const pb::MetgMode& mode : report.modes()) {
    const int p = std::max(1, mode.parallel_units());
    const double allows = ceiling ? PossibleSpeedup(report.ceiling(), p) / p : 0;
    for (const pb::MetgPoint& point : mode.points()) {
      table.rows.push_back(
          {mode.mode(), std::to_string(mode.parallel_units()), std::to_string(point.spin_us()),
           g(point.task_duration_s()), std::to_string(point.tasks()), g(point.wall_mean_s()),
           g(point.efficiency()), g(point.compute_median_s()), mode.reached() ? "true" : "false",
           mode.at_floor() ? "true" : "false", g(mode.metg_s()), g(allows)});
    }
  }
  return table;
}

}  // namespace parlab
