#include "shared/platform/system_load.h"

#include <fstream>
#include <sstream>
#include <string>

namespace parlab {
namespace {

std::optional<std::string> ReadAll(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool ParseLoadAvg(std::string_view text, LoadSample& sample) {
  std::istringstream in{std::string(text)};
  double load1 = 0;
  if (!(in >> load1) || load1 < 0) return false;
  sample.load1 = load1;
  return true;
}

bool ParseCpuTicks(std::string_view text, LoadSample& sample) {
  std::istringstream in{std::string(text.substr(0, text.find('\n')))};
  std::string name;
  if (!(in >> name) || name != "cpu") return false;
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest
  // time is already counted in user and nice, so it is left out of the total.
  uint64_t columns[8] = {};
  for (uint64_t& column : columns) {
    if (!(in >> column)) return false;
  }
  sample.steal_ticks = columns[7];
  sample.total_ticks = 0;
  for (uint64_t column : columns) sample.total_ticks += column;
  return true;
}

std::optional<LoadSample> SampleLoad() {
  const std::optional<std::string> loadavg = ReadAll("/proc/loadavg");
  const std::optional<std::string> stat = ReadAll("/proc/stat");
  LoadSample sample;
  if (!loadavg || !stat || !ParseLoadAvg(*loadavg, sample) || !ParseCpuTicks(*stat, sample)) {
    return std::nullopt;
  }
  return sample;
}

double StealShare(const LoadSample& before, const LoadSample& after) {
  if (after.total_ticks <= before.total_ticks || after.steal_ticks < before.steal_ticks) return 0;
  return static_cast<double>(after.steal_ticks - before.steal_ticks) /
         static_cast<double>(after.total_ticks - before.total_ticks);
}

}  // namespace parlab
