#include "coordinator/cli/duration_text.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace parlab {
namespace {

struct Unit {
  const char* suffix;
  double ns;
};

// Longest suffixes first, so "ms" is not read as "s" after a number "…m".
constexpr Unit kUnits[] = {{"min", 60e9}, {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
constexpr double kDayNs = 86400e9;

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  const std::string copy(text);
  const auto bad = [&copy] {
    return InvalidArgument("'" + copy +
                           "' is not a duration: write a positive number and a unit "
                           "(ns, us, ms, s or min), e.g. 60s or 500ms");
  };
  for (const Unit& unit : kUnits) {
    const std::string_view suffix = unit.suffix;
    if (text.size() <= suffix.size() || text.substr(text.size() - suffix.size()) != suffix)
      continue;
    const std::string number(text.substr(0, text.size() - suffix.size()));
    if (number.find_first_not_of("0123456789.") != std::string::npos) return bad();
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (end == number.c_str() || *end != '\0' || !(value > 0) || !std::isfinite(value))
      return bad();
    const double ns = value * unit.ns;
    if (ns > kDayNs) return InvalidArgument("'" + copy + "' is longer than a day");
    if (ns < 1) return bad();
    return static_cast<int64_t>(std::llround(ns));
  }
  return bad();
}

}  // namespace parlab
