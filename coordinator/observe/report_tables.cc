#include "coordinator/observe/report_tables.h"

#include <fmt/format.h>

#include <algorithm>

#include "coordinator/observe/svg_chart.h"
#include "coordinator/report/report_format.h"

namespace parlab {
namespace {

std::string Cell(const std::string& text) { return "<td>" + HtmlEscape(text) + "</td>"; }
std::string Num(double value, const char* format = "{:.2f}") {
  return "<td class=num>" + fmt::format(fmt::runtime(format), value) + "</td>";
}
std::string Header(const std::vector<const char*>& names) {
  std::string out = "<thead><tr>";
  for (const char* name : names) out += std::string("<th>") + name + "</th>";
  return out + "</tr></thead>\n";
}
std::string Percent(double fraction) {
  return fmt::format("<td class=num>{:.1f}%</td>", 100 * fraction);
}
std::string Micros(double us) { return "<td class=num>" + FormatSeconds(us * 1e-6) + "</td>"; }

std::string StatusLabel(pb::TaskStatus status) {
  return pb::TaskStatus_IsValid(status) ? pb::TaskStatus_Name(status)
                                        : "status " + std::to_string(status);
}

}  // namespace

int SummaryParallelUnits(const pb::JobSummary& s) {
  const int workers = std::max(1, s.workers());
  const int threads = std::max(1, s.threads());
  const std::string& mode = s.mode();
  if (mode.rfind("seq", 0) == 0) return 1;
  if (mode.rfind("blas", 0) == 0) return threads;
  if (mode.rfind("hybrid", 0) == 0) return workers * threads;
  return workers;
}

std::string SummaryTable(const std::vector<pb::JobSummary>& rows) {
  std::string out = "<table>\n";
  out += Header({"workload", "mode", "workers × threads", "tasks", "wall (mean ± std)", "CV",
                 "speedup", "efficiency", "tasks/s", "overhead p50", "overhead p99", "IPC share",
                 "retried", "failed", "checksum"});
  out += "<tbody>\n";
  for (const pb::JobSummary& s : rows) {
    out +=
        "<tr>" + Cell(s.workload()) + Cell(s.mode()) +
        Cell(fmt::format("{} × {}", s.workers(), s.threads())) + Num(double(s.tasks()), "{:.0f}") +
        "<td class=num>" + HtmlEscape(FormatSeconds(s.wall_mean_s())) + " ± " +
        HtmlEscape(FormatSeconds(s.wall_std_s())) + "</td>" + Percent(s.wall_cv()) +
        (s.speedup() > 0 ? Num(s.speedup(), "{:.2f}×") : Cell("")) +
        (s.efficiency() > 0 ? Percent(s.efficiency()) : Cell("")) + Num(s.tasks_per_s(), "{:.0f}") +
        Micros(s.overhead_median_us()) + Micros(s.overhead_p99_us()) + Percent(s.ipc_share()) +
        Num(double(s.tasks_retried()), "{:.0f}") + Num(double(s.tasks_failed()), "{:.0f}") +
        Num(s.checksum(), "{:.6g}") + "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string SweepTable(const pb::SweepReport& sweep) {
  std::string out = "<table>\n";
  out += Header({"mode", "workers", "parallel units", "wall (mean ± std)", "speedup", "efficiency",
                 "Karp–Flatt e", "IPC share", "note"});
  out += "<tbody>\n";
  const pb::JobSummary& ref = sweep.reference();
  out += "<tr class=ref>" + Cell(ref.mode() + " (reference)") + Num(1, "{:.0f}") +
         Num(1, "{:.0f}") + "<td class=num>" + HtmlEscape(FormatSeconds(ref.wall_mean_s())) +
         " ± " + HtmlEscape(FormatSeconds(ref.wall_std_s())) + "</td>" + Num(1, "{:.2f}×") +
         Percent(1) + Cell("") + Percent(ref.ipc_share()) + Cell("") + "</tr>\n";
  for (const pb::SweepSeries& series : sweep.series()) {
    for (const pb::SweepPoint& p : series.points()) {
      out += "<tr>" + Cell(series.mode()) + Num(p.workers(), "{:.0f}") +
             Num(p.parallel_units(), "{:.0f}") + "<td class=num>" +
             HtmlEscape(FormatSeconds(p.wall_mean_s())) + " ± " +
             HtmlEscape(FormatSeconds(p.wall_std_s())) + "</td>" + Num(p.speedup(), "{:.2f}×") +
             Percent(p.efficiency()) +
             (p.has_karp_flatt() ? Num(p.karp_flatt(), "{:.3f}") : Cell("")) +
             Percent(p.ipc_share()) + Cell(p.oversubscribed() ? "oversubscribed" : "") + "</tr>\n";
    }
  }
  out += "</tbody></table>\n<table>\n";
  out += Header({"mode", "Amdahl serial fraction f", "limit 1/f", "residual (rms)", "points"});
  out += "<tbody>\n";
  for (const pb::SweepSeries& series : sweep.series()) {
    const pb::AmdahlFit& fit = series.amdahl();
    if (!fit.fitted()) {
      out += "<tr>" + Cell(series.mode()) +
             "<td colspan=4>not fitted (no point with p &gt; 1)</td></tr>\n";
      continue;
    }
    out += "<tr>" + Cell(series.mode()) + Num(fit.serial_fraction(), "{:.4f}") +
           (fit.max_speedup() > 0 ? Num(fit.max_speedup(), "{:.1f}×") : Cell("unbounded")) +
           Num(fit.residual_rms(), "{:.3f}") + Num(fit.points(), "{:.0f}") + "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string LogTable(const std::vector<pb::LogAnalysis>& logs) {
  std::string out = "<table>\n";
  out += Header({"log", "workload", "mode", "workers × threads", "tasks", "trials", "wall",
                 "compute", "IPC share", "utilisation", "overhead p50", "overhead p99", "retried",
                 "failed", "problems"});
  out += "<tbody>\n";
  for (const pb::LogAnalysis& log : logs) {
    double p50 = 0;
    double p99 = 0;
    for (const pb::PhaseStats& phase : log.phases()) {
      if (phase.phase() == "overhead") {
        p50 = phase.p50_us();
        p99 = phase.p99_us();
      }
    }
    out += "<tr>" + Cell(log.path()) + Cell(log.job().kernel().kernel()) + Cell(log.mode()) +
           Cell(fmt::format("{} × {}", log.job().workers(), log.job().threads())) +
           Num(double(log.measured_tasks()), "{:.0f}") + Num(log.trials(), "{:.0f}") +
           "<td class=num>" + HtmlEscape(FormatSeconds(log.wall_s())) + "</td><td class=num>" +
           HtmlEscape(FormatSeconds(log.compute_s())) + "</td>" + Percent(log.ipc_share()) +
           Percent(log.utilisation()) + Micros(p50) + Micros(p99) +
           Num(double(log.retried_count()), "{:.0f}") + Num(double(log.failed_count()), "{:.0f}") +
           Num(double(log.problems_count()), "{:.0f}") + "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string ListOf(const std::vector<std::string>& lines, const char* css_class) {
  if (lines.empty()) return "";
  std::string out = std::string("<ul class=") + css_class + ">\n";
  for (const std::string& line : lines) out += "<li>" + HtmlEscape(line) + "</li>\n";
  return out + "</ul>\n";
}

std::string TaskIssueTable(const std::vector<pb::LogAnalysis>& logs) {
  std::string rows;
  for (const pb::LogAnalysis& log : logs) {
    for (const auto* list : {&log.retried(), &log.failed()}) {
      for (const pb::TaskIssue& issue : *list) {
        rows += "<tr>" + Cell(log.path()) + Num(double(issue.id()), "{:.0f}") +
                Num(issue.trial(), "{:.0f}") + Num(issue.worker(), "{:.0f}") +
                Num(issue.attempt(), "{:.0f}") + Cell(StatusLabel(issue.status())) +
                Cell(issue.signal() != 0 ? std::to_string(issue.signal()) : "") +
                Cell(issue.error()) + "</tr>\n";
      }
    }
  }
  if (rows.empty()) return "";
  return "<h3>Retried and failed tasks</h3>\n<table>\n" +
         Header({"log", "task", "trial", "worker", "attempt", "status", "signal", "error"}) +
         "<tbody>\n" + rows + "</tbody></table>\n";
}

}  // namespace parlab
