#include "coordinator/notebook/tour_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "coordinator/notebook/tour_grain.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/report_format.h"

namespace parlab {

std::string WrapText(std::string_view text, size_t width, std::string_view indent) {
  std::istringstream words{std::string(text)};
  std::string out, line, word;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += std::string(indent) + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += std::string(indent) + line + "\n";
  return out;
}

SpeedupPivot PivotSpeedups(const pb::TourSection& section) {
  SpeedupPivot pivot;
  for (const pb::TourRow& row : section.rows()) {
    const size_t colon = row.label().rfind(": ");
    if (row.mode().empty() || colon == std::string::npos) continue;
    const std::string workload = row.label().substr(0, colon);
    auto w = std::find(pivot.workloads.begin(), pivot.workloads.end(), workload);
    if (w == pivot.workloads.end()) {
      pivot.workloads.push_back(workload);
      pivot.speedups.emplace_back(pivot.modes.size(), -1.0);
      w = pivot.workloads.end() - 1;
    }
    auto m = std::find(pivot.modes.begin(), pivot.modes.end(), row.mode());
    if (m == pivot.modes.end()) {
      pivot.modes.push_back(row.mode());
      for (std::vector<double>& line : pivot.speedups) line.push_back(-1.0);
      m = pivot.modes.end() - 1;
    }
    const size_t wi = static_cast<size_t>(w - pivot.workloads.begin());
    const size_t mi = static_cast<size_t>(m - pivot.modes.begin());
    pivot.speedups[wi][mi] = row.reference().empty() ? 1.0 : row.speedup();
  }
  return pivot;
}

namespace {

std::string Figure(const pb::TourRow& row) {
  if (!row.unit().empty() && row.trials() == 0) {
    return fmt::format("{:.4g} {}", row.value(), row.unit());
  }
  if (row.trials() == 1) return FormatSeconds(row.mean_s()) + " (1 trial)";
  // A mean without its trials (a profile's stage): no spread to show.
  if (row.times_s_size() == 0) return FormatSeconds(row.mean_s()) + " mean";
  return FormatSeconds(row.mean_s()) + " ± " + FormatSeconds(row.std_s());
}

void PrintRows(const pb::TourSection& section, std::ostream& out) {
  size_t width = 10;
  for (const pb::TourRow& row : section.rows()) width = std::max(width, row.label().size());
  width = std::min<size_t>(width, 64);
  // A speedup the machine's ceiling bounds reads "1.70× of 1.78×": a wider column.
  const bool ceiling =
      std::any_of(section.rows().begin(), section.rows().end(),
                  [](const pb::TourRow& row) { return row.possible_speedup() > 0; });
  const size_t speedup_width = ceiling ? 15 : 8;
  out << fmt::format("  {:<{}}  {:<8}  {:>22}  {:>{}}  {:>7}  {}\n", "figure", width, "by",
                     "mean ± std", "speedup", speedup_width, "GFLOPS", "speedup against");
  for (const pb::TourRow& row : section.rows()) {
    std::string extra;
    if (!row.unit().empty() && row.trials() > 0) {
      extra = fmt::format("  [{:.4g} {}]", row.value(), row.unit());
    }
    std::string speedup;
    if (row.possible_speedup() > 0) {
      speedup = OfCeiling(row.speedup(), row.possible_speedup());
    } else if (!row.reference().empty()) {
      speedup = fmt::format("{:.2f}×", row.speedup());
    }
    out << fmt::format("  {:<{}}  {:<8}  {:>22}  {:>{}}  {:>7}  {}{}\n", row.label(), width,
                       row.source(), Figure(row), speedup, speedup_width,
                       row.gflops() > 0 ? fmt::format("{:.2f}", row.gflops()) : "", row.reference(),
                       extra);
  }
}

void PrintPivot(const SpeedupPivot& pivot, std::ostream& out) {
  size_t width = 8;
  for (const std::string& w : pivot.workloads) width = std::max(width, w.size());
  out << "\n  speedups against seq, by mode:\n  " << fmt::format("{:<{}}", "workload", width);
  for (const std::string& mode : pivot.modes) out << fmt::format("  {:>8}", mode);
  out << "\n";
  for (size_t w = 0; w < pivot.workloads.size(); ++w) {
    out << "  " << fmt::format("{:<{}}", pivot.workloads[w], width);
    for (double s : pivot.speedups[w]) {
      out << fmt::format("  {:>8}", s < 0 ? "-" : fmt::format("{:.2f}×", s));
    }
    out << "\n";
  }
}

}  // namespace

void PrintTourSection(const pb::TourSection& section, std::ostream& out) {
  out << "\n== " << section.title() << " ==\n";
  out << WrapText(section.explanation(), 92, "  ") << "\n";
  if (section.facts_size() > 0) {
    size_t width = 8;
    for (const pb::TourFact& fact : section.facts()) width = std::max(width, fact.name().size());
    for (const pb::TourFact& fact : section.facts()) {
      out << fmt::format("  {:<{}}  {}{}\n", fact.name(), width, fact.value(),
                         fact.detail().empty() ? "" : "   (" + fact.detail() + ")");
    }
    out << "\n";
  }
  // How a pure loop was sized comes before its rows: the rows are read in its light.
  for (const pb::TourGrain& grain : section.grains()) {
    out << WrapText("sized by time: " + GrainLine(grain), 96, "  ");
  }
  if (section.grains_size() > 0) out << "\n";
  if (section.rows_size() > 0) PrintRows(section, out);
  const SpeedupPivot pivot = PivotSpeedups(section);
  if (section.name() == "summary" && !pivot.workloads.empty()) PrintPivot(pivot, out);
  if (section.conclusions_size() > 0) out << "\n";
  for (const std::string& conclusion : section.conclusions()) {
    out << WrapText("→ " + conclusion, 96, "  ");
  }
  for (const std::string& note : section.notes()) out << WrapText("note: " + note, 96, "  ");
  if (const std::string line = CeilingLine(section.ceiling()); !line.empty()) {
    out << WrapText(line, 96, "  ");
  }
  if (const std::string line = LoadLine(section.load()); !line.empty()) {
    out << WrapText(line, 96, "  ");
  }
  out << fmt::format("  ({} for this section)\n", FormatSeconds(section.duration_s()));
}

}  // namespace parlab
