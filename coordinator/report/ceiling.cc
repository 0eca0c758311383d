#include "coordinator/report/ceiling.h"

#include <fmt/format.h>

#include <algorithm>

namespace parlab {

pb::Ceiling SummarizeCeiling(int cores, const std::vector<pb::CeilingProbe>& probes) {
  pb::Ceiling ceiling;
  ceiling.set_cores(cores);
  if (probes.empty()) return ceiling;
  double sum = 0;
  double low = probes.front().ceiling();
  double high = low;
  for (const pb::CeilingProbe& probe : probes) {
    sum += probe.ceiling();
    low = std::min(low, probe.ceiling());
    high = std::max(high, probe.ceiling());
    *ceiling.add_probes() = probe;
  }
  ceiling.set_speedup(sum / static_cast<double>(probes.size()));
  ceiling.set_low(low);
  ceiling.set_high(high);
  ceiling.set_text(fmt::format("{} core{} deliver{} {:.2f}× of one", cores, cores == 1 ? "" : "s",
                               cores == 1 ? "s" : "", ceiling.speedup()));
  return ceiling;
}

double PossibleSpeedup(const pb::Ceiling& ceiling, int units) {
  if (ceiling.probes_size() == 0 || ceiling.speedup() <= 0) return 0;
  if (units <= 1 || ceiling.cores() <= 1) return units <= 1 ? 1.0 : ceiling.speedup();
  if (units >= ceiling.cores()) return ceiling.speedup();
  const double slope = (ceiling.speedup() - 1) / (ceiling.cores() - 1);
  return 1 + slope * (units - 1);
}

std::string OfCeiling(double speedup, double possible) {
  if (possible <= 0) return "";
  return fmt::format("{:.2f}× of {:.2f}×", speedup, possible);
}

std::string CeilingLine(const pb::Ceiling& ceiling) {
  if (ceiling.probes_size() == 0) return "";
  std::string whens;
  for (const pb::CeilingProbe& probe : ceiling.probes()) {
    if (whens.find(probe.when()) != std::string::npos) continue;
    whens += (whens.empty() ? "" : ", ") + probe.when();
  }
  if (ceiling.probes_size() == 1) {
    return fmt::format("ceiling: {} (busy loop, probed {})", ceiling.text(), whens);
  }
  return fmt::format("ceiling: {} ({:.2f}–{:.2f}× over {} probes: {})", ceiling.text(),
                     ceiling.low(), ceiling.high(), ceiling.probes_size(), whens);
}

}  // namespace parlab
