#include "coordinator/report/report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "coordinator/report/ceiling.h"

namespace parlab {

std::string FormatSeconds(double seconds) {
  const double magnitude = std::abs(seconds);
  auto three_digits = [](double v, const char* unit) {
    if (std::abs(v) >= 100) return fmt::format("{:.0f} {}", v, unit);
    if (std::abs(v) >= 10) return fmt::format("{:.1f} {}", v, unit);
    return fmt::format("{:.2f} {}", v, unit);
  };
  if (magnitude == 0) return "0 s";
  if (magnitude < 1e-6) return three_digits(seconds * 1e9, "ns");
  if (magnitude < 1e-3) return three_digits(seconds * 1e6, "µs");
  if (magnitude < 1) return three_digits(seconds * 1e3, "ms");
  return three_digits(seconds, "s");
}

namespace {

std::string Us(double us) { return FormatSeconds(us * 1e-6); }

// What one task costs the whole run, dispatch included: the figure to hold
// against a peer's per-task cost (TBB, OpenMP, Pool.map).
double WallPerTaskUs(const pb::JobSummary& s) {
  return s.tasks_per_s() > 0 ? 1e6 / s.tasks_per_s() : 0;
}

void PrintFootnotes(const std::vector<pb::JobSummary>& rows, std::ostream& out) {
  std::set<std::string> seen;  // the same warning from several rows is said once
  for (const pb::JobSummary& row : rows) {
    for (const std::string& note : row.notes())
      out << "note (" << row.mode() << "): " << note << "\n";
    if (row.tasks_retried() > 0) {
      out << "retried (" << row.mode() << "): " << row.tasks_retried()
          << " measured task(s) sent again after their worker died\n";
    }
    for (const std::string& failed : row.failed_tasks()) {
      out << "FAILED (" << row.mode() << "): " << failed << "\n";
    }
    if (row.tasks_failed() > row.failed_tasks_size()) {
      out << "FAILED (" << row.mode() << "): and " << row.tasks_failed() - row.failed_tasks_size()
          << " more task(s)\n";
    }
  }
  for (const pb::JobSummary& row : rows) {
    for (const std::string& warning : row.warnings()) {
      const std::string line = rows.size() > 1 ? row.mode() + ": " + warning : warning;
      if (seen.insert(line).second) out << "warning: " << line << "\n";
    }
  }
}

}  // namespace

void PrintRunReport(const pb::JobSummary& s, std::ostream& out) {
  out << fmt::format(
      "parlab run {}: mode {}, {} worker{} × {} thread{}, {} tasks per trial, "
      "warmup {}, trials {}\n",
      s.workload(), s.mode(), s.workers(), s.workers() == 1 ? "" : "s", s.threads(),
      s.threads() == 1 ? "" : "s", s.tasks(), s.warmup(), s.trials());
  out << fmt::format("  {:<20}{}  (threads or workers started, inputs made; not in the trials)\n",
                     "start-up", FormatSeconds(s.startup_s()));
  out << fmt::format("  {:<20}{} ± {}   median {}  min {}  max {}\n", "wall per trial",
                     FormatSeconds(s.wall_mean_s()), FormatSeconds(s.wall_std_s()),
                     FormatSeconds(s.wall_median_s()), FormatSeconds(s.wall_min_s()),
                     FormatSeconds(s.wall_max_s()));
  out << fmt::format("  {:<20}p95 {}  p99 {}  CV {:.1f}%  95% CI [{}, {}]\n", "",
                     FormatSeconds(s.wall_p95_s()), FormatSeconds(s.wall_p99_s()),
                     s.wall_cv() * 100, FormatSeconds(s.wall_ci95_low_s()),
                     FormatSeconds(s.wall_ci95_high_s()));
  out << fmt::format("  {:<20}{:.1f} tasks/s  ({} a task: wall / tasks)", "throughput",
                     s.tasks_per_s(), Us(WallPerTaskUs(s)));
  if (s.gflops() > 0) out << fmt::format("   {:.2f} GFLOPS", s.gflops());
  if (s.gbps() > 0) out << fmt::format("   {:.2f} GB/s", s.gbps());
  out << "\n";
  out << fmt::format("  {:<20}median {}  p99 {}   compute median {}   IPC share {:.2f}%\n",
                     "overhead per task", Us(s.overhead_median_us()), Us(s.overhead_p99_us()),
                     Us(s.compute_median_us()), s.ipc_share() * 100);
  out << fmt::format(
      "  {:<20}encode {}  wake-up {}  decode {}  return {}  (queued behind "
      "earlier tasks {})\n",
      "  by phase (median)", Us(s.encode_median_us()), Us(s.wake_median_us()),
      Us(s.decode_median_us()), Us(s.return_median_us()), Us(s.queue_median_us()));
  out << fmt::format("  {:<20}{:.17g}\n", "checksum", s.checksum());
  PrintFootnotes({s}, out);
}

void PrintCompareTable(const std::vector<pb::JobSummary>& rows, std::ostream& out) {
  if (rows.empty()) return;
  out << fmt::format("parlab compare {}: {} tasks per trial, warmup {}, trials {}\n",
                     rows.front().workload(), rows.front().tasks(), rows.front().warmup(),
                     rows.front().trials());
  // The ceiling column only where the machine's ceiling was probed.
  const bool ceiling = std::any_of(
      rows.begin(), rows.end(), [](const pb::JobSummary& r) { return r.possible_speedup() > 0; });
  out << fmt::format("{:<8} {:>7} {:>7} {:>22} {:>10} {:>8} {:>10} {:>13} {:>9} {:>10}", "mode",
                     "workers", "threads", "wall mean ± std", "wall/task", "speedup", "efficiency",
                     "overhead/task", "IPC", "start-up");
  out << (ceiling ? fmt::format(" {:>15}\n", "of ceiling") : "\n");
  for (const pb::JobSummary& r : rows) {
    out << fmt::format(
        "{:<8} {:>7} {:>7} {:>22} {:>10} {:>7.2f}× {:>9.0f}% {:>13} {:>8.2f}% {:>10}", r.mode(),
        r.workers(), r.threads(),
        FormatSeconds(r.wall_mean_s()) + " ± " + FormatSeconds(r.wall_std_s()),
        Us(WallPerTaskUs(r)), r.speedup(), r.efficiency() * 100, Us(r.overhead_median_us()),
        r.ipc_share() * 100, FormatSeconds(r.startup_s()));
    out << (ceiling ? fmt::format(" {:>15}\n", OfCeiling(r.speedup(), r.possible_speedup()))
                    : "\n");
  }
  PrintFootnotes(rows, out);
}

Table CompareTable(const std::vector<pb::JobSummary>& rows) {
  Table table;
  table.columns = {"mode",       "workers",    "threads",       "wall mean", "± std",   "speedup",
                   "of ceiling", "efficiency", "overhead/task", "IPC",       "start-up"};
  table.right_aligned = {false, true, true, true, true, true, true, true, true, true, true};
  for (const pb::JobSummary& r : rows) {
    table.rows.push_back(
        {r.mode(), std::to_string(r.workers()), std::to_string(r.threads()),
         FormatSeconds(r.wall_mean_s()), FormatSeconds(r.wall_std_s()),
         fmt::format("{:.2f}×", r.speedup()), OfCeiling(r.speedup(), r.possible_speedup()),
         fmt::format("{:.0f}%", r.efficiency() * 100), Us(r.overhead_median_us()),
         fmt::format("{:.2f}%", r.ipc_share() * 100), FormatSeconds(r.startup_s())});
  }
  return table;
}

Table CompareCsvTable(const std::vector<pb::JobSummary>& rows) {
  Table table;
  table.columns = {"mode",        "workers",          "threads",         "tasks",
                   "wall_mean_s", "wall_std_s",       "wall_ci95_low_s", "wall_ci95_high_s",
                   "speedup",     "possible_speedup", "efficiency",      "overhead_median_us",
                   "ipc_share",   "startup_s"};
  for (const pb::JobSummary& r : rows) {
    auto g = [](double v) { return fmt::format("{:.9g}", v); };
    table.rows.push_back({r.mode(), std::to_string(r.workers()), std::to_string(r.threads()),
                          std::to_string(r.tasks()), g(r.wall_mean_s()), g(r.wall_std_s()),
                          g(r.wall_ci95_low_s()), g(r.wall_ci95_high_s()), g(r.speedup()),
                          g(r.possible_speedup()), g(r.efficiency()), g(r.overhead_median_us()),
                          g(r.ipc_share()), g(r.startup_s())});
  }
  return table;
}

}  // namespace parlab
