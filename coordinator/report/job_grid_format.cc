#include "coordinator/report/job_grid_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

#include "coordinator/report/ceiling.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"

namespace parlab {
namespace {

// "n=1000 procs, 4 workers" names a row in the notes below the table.
std::string RowName(const pb::JobGridRow& row) {
  const pb::JobSummary& s = row.summary();
  std::string name = row.size().empty() ? "" : row.size() + " ";
  return name + s.mode() + ", " + std::to_string(s.workers()) +
         (s.workers() == 1 ? " worker" : " workers");
}

}  // namespace

void PrintJobGridTable(const pb::JobGridReport& report, std::ostream& out) {
  if (report.rows().empty()) return;
  const pb::JobSummary& first = report.rows(0).summary();
  out << fmt::format("parlab run --job {}: {} runs, warmup {}, trials {}\n", report.workload(),
                     report.rows_size(), first.warmup(), first.trials());
  // The ceiling column only where the machine's ceiling was probed.
  const bool ceiling =
      std::any_of(report.rows().begin(), report.rows().end(),
                  [](const pb::JobGridRow& row) { return row.summary().possible_speedup() > 0; });
  out << fmt::format("{:<12} {:<8} {:>7} {:>7} {:>7} {:>22} {:>8} {:>10} {:>13} {:>8}", "size",
                     "mode", "workers", "threads", "tasks", "wall mean ± std", "speedup",
                     "efficiency", "overhead/task", "IPC");
  out << (ceiling ? fmt::format(" {:>15}\n", "of ceiling") : "\n");
  for (const pb::JobGridRow& row : report.rows()) {
    const pb::JobSummary& r = row.summary();
    const std::string speedup = r.speedup() > 0 ? fmt::format("{:.2f}×", r.speedup()) : "-";
    const std::string efficiency =
        r.speedup() > 0 ? fmt::format("{:.0f}%", r.efficiency() * 100) : "-";
    out << fmt::format(
        "{:<12} {:<8} {:>7} {:>7} {:>7} {:>22} {:>8} {:>10} {:>13} {:>7.2f}%",
        row.size().empty() ? "-" : row.size(), r.mode(), r.workers(), r.threads(), r.tasks(),
        FormatSeconds(r.wall_mean_s()) + " ± " + FormatSeconds(r.wall_std_s()), speedup, efficiency,
        FormatSeconds(r.overhead_median_us() * 1e-6), r.ipc_share() * 100);
    const std::string of_ceiling =
        r.speedup() > 0 ? OfCeiling(r.speedup(), r.possible_speedup()) : std::string("-");
    out << (ceiling ? fmt::format(" {:>15}\n", of_ceiling) : "\n");
  }
  std::set<std::string> seen;  // a warning the summary repeats is said once
  for (const pb::JobGridRow& row : report.rows()) {
    const pb::JobSummary& r = row.summary();
    for (const std::string& note : r.notes())
      out << "note (" << RowName(row) << "): " << note << "\n";
    for (const std::string& failed : r.failed_tasks()) {
      out << "FAILED (" << RowName(row) << "): " << failed << "\n";
    }
    if (r.tasks_failed() > r.failed_tasks_size()) {
      out << "FAILED (" << RowName(row) << "): and " << r.tasks_failed() - r.failed_tasks_size()
          << " more task(s)\n";
    }
    for (const std::string& warning : r.warnings()) {
      const std::string line = "warning (" + RowName(row) + "): " + warning;
      if (seen.insert(line).second) out << line << "\n";
    }
  }
  if (const std::string line = CeilingLine(report.ceiling()); !line.empty()) out << line << "\n";
  if (const std::string line = LoadLine(report.load()); !line.empty()) out << line << "\n";
}

}  // namespace parlab
