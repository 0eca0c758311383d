#include "coordinator/notebook/timeit_format.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace parlab {
namespace {

// Python's "{:,}" for a non-negative integer: 1234567 -> "1,234,567".
std::string WithThousands(int64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (size_t i = first; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
  return out;
}

}  // namespace

std::string FormatTimeitSeconds(double seconds, int precision) {
  if (seconds >= 60.0) {
    // IPython's: whole days, hours, minutes, seconds, dropping zero parts and
    // stopping once less than a second is left.
    const std::pair<const char*, double> parts[] = {
        {"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}, {"s", 1.0}};
    std::string out;
    double leftover = seconds;
    for (const auto& [suffix, length] : parts) {
      const auto value = static_cast<int64_t>(leftover / length);
      if (value > 0) {
        leftover = std::fmod(leftover, length);
        out += (out.empty() ? "" : " ") + std::to_string(value) + suffix;
      }
      if (leftover < 1) break;
    }
    return out;
  }
  static const char* const kUnits[] = {"s", "ms", "µs", "ns"};
  static const double kScale[] = {1, 1e3, 1e6, 1e9};
  int order = 3;
  if (seconds > 0.0) {
    // Python's -(floor(log10(t)) // 3): floor division rounds towards -inf.
    const auto exponent = static_cast<int>(std::floor(std::log10(seconds)));
    const int floor_div = exponent >= 0 ? exponent / 3 : -((-exponent + 2) / 3);
    order = std::min(-floor_div, 3);
  }
  char number[64];
  std::snprintf(number, sizeof(number), "%.*g", precision, seconds * kScale[order]);
  return std::string(number) + " " + kUnits[order];
}

std::string TimeitLine(const pb::TimeitReport& result) {
  const auto runs = static_cast<size_t>(result.per_loop_s_size());
  return FormatTimeitSeconds(result.mean_s()) + " ± " + FormatTimeitSeconds(result.std_s()) +
         " per loop (mean ± std. dev. of " + std::to_string(runs) + " run" +
         (runs == 1 ? "" : "s") + ", " + WithThousands(result.loops()) + " loop" +
         (result.loops() == 1 ? "" : "s") + " each)";
}

void PrintTimeit(const pb::TimeitReport& result, std::ostream& out) {
  out << "timeit " << result.workload() << ", " << result.threads() << " thread"
      << (result.threads() == 1 ? "" : "s") << " inside the kernel\n";
  out << "best " << FormatTimeitSeconds(result.best_s()) << " per loop, " << TimeitLine(result)
      << "\n";
  // IPython's own warning, with its thresholds.
  if (result.best_s() > 0 && result.worst_s() > 4 * result.best_s() && result.worst_s() > 1e-6) {
    char ratio[32];
    std::snprintf(ratio, sizeof(ratio), "%0.2f", result.worst_s() / result.best_s());
    out << "The slowest run took " << ratio
        << " times longer than the fastest. This could mean that an intermediate result is "
           "being cached.\n";
  }
}

Table TimeitCsvTable(const pb::TimeitReport& result) {
  Table table;
  table.columns = {"workload", "threads", "loops", "repeat", "per_loop_s"};
  for (int i = 0; i < result.per_loop_s_size(); ++i) {
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.9g", result.per_loop_s(i));
    table.rows.push_back({result.workload(), std::to_string(result.threads()),
                          std::to_string(result.loops()), std::to_string(i + 1), seconds});
  }
  return table;
}

}  // namespace parlab
