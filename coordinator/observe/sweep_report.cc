#include "coordinator/observe/sweep_report.h"

#include <fmt/format.h>

#include <string>

#include "coordinator/report/ceiling.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"

namespace parlab {
namespace {

constexpr const char* kRowFormat = "{:<8} {:>8} {:>5} {:>22} {:>8} {:>10} {:>11} {:>8} {:>15}\n";

std::string WallCell(double mean_s, double std_s) {
  return FormatSeconds(mean_s) + " ± " + FormatSeconds(std_s);
}

}  // namespace

void PrintSweepTable(const pb::SweepReport& report, std::ostream& out) {
  const pb::JobSummary& reference = report.reference();
  out << fmt::format(
      "parlab sweep {}: {} tasks per trial, warmup {}, trials {}; {} usable core{}\n",
      report.workload(), report.tasks(), report.warmup(), report.trials(), report.usable_cores(),
      report.usable_cores() == 1 ? "" : "s");
  const bool ceiling = report.ceiling().probes_size() > 0;
  out << fmt::format(kRowFormat, "mode", "workers", "p", "wall mean ± std", "speedup", "efficiency",
                     "Karp-Flatt", "IPC", ceiling ? "of ceiling" : "");
  out << fmt::format(kRowFormat, "seq", 1, 1,
                     WallCell(reference.wall_mean_s(), reference.wall_std_s()), "1.00×", "100%",
                     "-", fmt::format("{:.2f}%", reference.ipc_share() * 100), "");
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) {
      out << fmt::format(kRowFormat, series.mode(),
                         std::to_string(point.workers()) + (point.oversubscribed() ? "*" : ""),
                         point.parallel_units(), WallCell(point.wall_mean_s(), point.wall_std_s()),
                         fmt::format("{:.2f}×", point.speedup()),
                         fmt::format("{:.0f}%", point.efficiency() * 100),
                         point.has_karp_flatt() ? fmt::format("{:.3f}", point.karp_flatt()) : "-",
                         fmt::format("{:.2f}%", point.ipc_share() * 100),
                         OfCeiling(point.speedup(), point.possible_speedup()));
    }
  }
  out << fmt::format("seq reference: {} trials spread over the whole sweep\n", reference.trials());
  out << "\nAmdahl fit, S(p) = 1 / (f + (1 - f) / p), least squares over the points within the "
         "cores:\n";
  out << fmt::format("{:<8} {:>17} {:>12} {:>14} {:>7}\n", "mode", "serial fraction f", "limit 1/f",
                     "residual rms", "points");
  for (const pb::SweepSeries& series : report.series()) {
    const pb::AmdahlFit& fit = series.amdahl();
    if (!fit.fitted()) {
      out << fmt::format("{:<8} {:>17} {:>12} {:>14} {:>7}\n", series.mode(), "-", "-", "-",
                         fit.points());
      continue;
    }
    out << fmt::format(
        "{:<8} {:>17.4f} {:>12} {:>14.3f} {:>7}\n", series.mode(), fit.serial_fraction(),
        fit.max_speedup() > 0 ? fmt::format("{:.1f}×", fit.max_speedup()) : std::string("none"),
        fit.residual_rms(), fit.points());
  }
  out << "p: parallel units (processes × threads); Karp-Flatt: the serial fraction each point "
         "implies, e = (1/S - 1/p) / (1 - 1/p)\n";
  for (const std::string& note : report.notes()) out << "note: " << note << "\n";
  if (const std::string line = CeilingLine(report.ceiling()); !line.empty()) out << line << "\n";
  if (const std::string line = LoadLine(report.load()); !line.empty()) out << line << "\n";
  for (const std::string& warning : report.warnings()) out << "warning: " << warning << "\n";
}

void PrintSweepCsv(const pb::SweepReport& report, std::ostream& out) {
  out << "mode,workers,parallel_units,oversubscribed,wall_mean_s,wall_std_s,speedup,efficiency,"
         "karp_flatt,ipc_share,amdahl_serial_fraction,amdahl_residual_rms,possible_speedup\n";
  const pb::JobSummary& reference = report.reference();
  out << fmt::format("seq,1,1,false,{:.9g},{:.9g},1,1,,{:.6g},,,{}\n", reference.wall_mean_s(),
                     reference.wall_std_s(), reference.ipc_share(),
                     report.ceiling().probes_size() > 0 ? "1" : "0");
  for (const pb::SweepSeries& series : report.series()) {
    const pb::AmdahlFit& fit = series.amdahl();
    const std::string f = fit.fitted() ? fmt::format("{:.9g}", fit.serial_fraction()) : "";
    const std::string residual = fit.fitted() ? fmt::format("{:.9g}", fit.residual_rms()) : "";
    for (const pb::SweepPoint& point : series.points()) {
      out << fmt::format("{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{},{:.6g},{},{},{:.6g}\n",
                         series.mode(), point.workers(), point.parallel_units(),
                         point.oversubscribed() ? "true" : "false", point.wall_mean_s(),
                         point.wall_std_s(), point.speedup(), point.efficiency(),
                         point.has_karp_flatt() ? fmt::format("{:.9g}", point.karp_flatt()) : "",
                         point.ipc_share(), f, residual, point.possible_speedup());
    }
  }
}

Table SweepMarkdownTable(const pb::SweepReport& report) {
  Table table;
  table.columns = {"mode",    "workers",    "p",          "wall mean",  "± std",
                   "speedup", "of ceiling", "efficiency", "Karp-Flatt", "IPC"};
  table.right_aligned = {false, true, true, true, true, true, true, true, true, true};
  const pb::JobSummary& reference = report.reference();
  table.rows.push_back({"seq", "1", "1", FormatSeconds(reference.wall_mean_s()),
                        FormatSeconds(reference.wall_std_s()), "1.00×", "", "100%", "",
                        fmt::format("{:.2f}%", reference.ipc_share() * 100)});
  for (const pb::SweepSeries& series : report.series()) {
    for (const pb::SweepPoint& point : series.points()) {
      table.rows.push_back(
          {series.mode(), std::to_string(point.workers()) + (point.oversubscribed() ? "*" : ""),
           std::to_string(point.parallel_units()), FormatSeconds(point.wall_mean_s()),
           FormatSeconds(point.wall_std_s()), fmt::format("{:.2f}×", point.speedup()),
           OfCeiling(point.speedup(), point.possible_speedup()),
           fmt::format("{:.0f}%", point.efficiency() * 100),
           point.has_karp_flatt() ? fmt::format("{:.3f}", point.karp_flatt()) : "",
           fmt::format("{:.2f}%", point.ipc_share() * 100)});
    }
  }
  return table;
}

}  // namespace parlab
