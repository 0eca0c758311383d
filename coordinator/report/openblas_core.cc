#include "coordinator/report/openblas_core.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "coordinator/report/env_report.h"

// Declared here, as env_report.cc does, because Debian's <cblas.h> is an
// alternative that may belong to another BLAS.
extern "C" char* openblas_get_corename(void);

namespace parlab {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

int OpenBlasCoreSimdTier(std::string_view corename) {
  const std::string core = Lower(corename);
  if (core == "skylakex" || core == "cooperlake" || core == "sapphirerapids") return 2;
  if (core == "haswell" || core == "zen") return 1;
  return 0;
}

std::string_view BestOpenBlasCore(const std::set<std::string>& cpu_flags) {
  if (cpu_flags.count("avx512f") != 0) return "SkylakeX";
  if (cpu_flags.count("avx2") != 0 && cpu_flags.count("fma") != 0) return "Haswell";
  return "";
}

std::string OpenBlasCoreUpgrade(const std::set<std::string>& cpu_flags, std::string_view corename) {
  const std::string core = Lower(corename);
  if (core.empty() || core == "unknown") return "";
  const std::string_view best = BestOpenBlasCore(cpu_flags);
  if (best.empty() || OpenBlasCoreSimdTier(best) <= OpenBlasCoreSimdTier(corename)) return "";
  return std::string(best);
}

std::string DescribeOpenBlasCoreChoice(const char* coretype, const char* own_core) {
  if (coretype == nullptr || *coretype == '\0') return "OpenBLAS's own choice";
  const std::string variable = std::string("OPENBLAS_CORETYPE=") + coretype;
  if (own_core == nullptr || *own_core == '\0') return variable + " from the environment";
  return "set by parlab (" + variable + "): OpenBLAS alone chose " + own_core;
}

std::string OpenBlasCoreChoice() {
  return DescribeOpenBlasCoreChoice(std::getenv("OPENBLAS_CORETYPE"),
                                    std::getenv(kOpenBlasOwnCoreVariable));
}

std::string OpenBlasCoreName() {
  const char* core = openblas_get_corename();
  return core != nullptr ? core : "unknown";
}

std::string OpenBlasCoreToRequest() {
  const char* set = std::getenv("OPENBLAS_CORETYPE");
  if (set != nullptr && *set != '\0') return "";
  const std::string core = OpenBlasCoreName();
  if (OpenBlasCoreSimdTier(core) == 2) return "";  // the widest there is: no file to read
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream text;
  text << in.rdbuf();
  return OpenBlasCoreUpgrade(ParseCpuInfo(text.str()).flags, core);
}

}  // namespace parlab
