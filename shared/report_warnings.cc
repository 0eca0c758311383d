#include "shared/report_warnings.h"

#include <cstdio>

#include "shared/build_info.h"

namespace parlab {
namespace {

// "1 process", "4 processes".
std::string Count(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::vector<std::string> ReportWarnings(double cv, int processes, int threads_per_process,
                                        int usable_cores, std::string_view build_type) {
  std::vector<std::string> warnings;

  if (cv > kNoisyCv) {
    char percent[32];
    std::snprintf(percent, sizeof(percent), "%.1f", cv * 100.0);
    warnings.push_back(std::string("noisy: CV ") + percent +
                       "% > 5% — repeat, close other programs, or add --trials");
  }

  // 64-bit product: 1024 workers × a large thread count must not overflow.
  const long long runnable = static_cast<long long>(processes) * threads_per_process;
  if (usable_cores > 0 && runnable > usable_cores) {
    warnings.push_back("oversubscribed: " + Count(processes, "process", "processes") + " × " +
                       Count(threads_per_process, "thread", "threads") + " = " +
                       std::to_string(runnable) + " > " + Count(usable_cores, "core", "cores"));
  }

  if (!IsReleaseBuildType(build_type)) {
    const std::string shown = build_type.empty() ? "no build type" : std::string(build_type);
    warnings.push_back("not a release build (" + shown + "): timings are not representative");
  }
  return warnings;
}

}  // namespace parlab
