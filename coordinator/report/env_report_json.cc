#include "coordinator/report/env_report_json.h"

#include <cmath>
#include <sstream>
#include <type_traits>
#include <utility>

#include "coordinator/report/json_text.h"

namespace parlab {
namespace {

using Fields = std::vector<std::pair<const char*, std::string>>;

std::string JsonObject(const Fields& fields) {
  std::string out = "{";
  for (const auto& [key, value] : fields) {
    if (out.size() > 1) out += ',';
    out += JsonQuote(key) + ":" + value;
  }
  return out + "}";
}

template <typename T, typename Render>
std::string JsonArray(const std::vector<T>& items, Render render) {
  std::string out = "[";
  for (const T& item : items) {
    if (out.size() > 1) out += ',';
    out += render(item);
  }
  return out + "]";
}

std::string JsonStrings(const std::vector<std::string>& items) {
  return JsonArray(items, [](const std::string& s) { return JsonQuote(s); });
}

std::string JsonBool(bool b) { return b ? "true" : "false"; }

template <typename T>
std::string JsonOptional(const std::optional<T>& value) {
  if (!value) return "null";
  if constexpr (std::is_same_v<T, double>) {
    if (!std::isfinite(*value)) return "null";  // JSON has no inf or nan
    std::ostringstream out;
    out << *value;
    return out.str();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return JsonQuote(*value);
  } else {
    return std::to_string(*value);
  }
}

}  // namespace

std::string EnvReportJson(const EnvReport& r) {
  const std::string variables = JsonArray(r.thread_variables, [](const ThreadVariable& v) {
    return JsonObject({{"name", JsonQuote(v.name)},
                       {"value", JsonOptional(v.value)},
                       {"obeyed", JsonBool(v.obeyed)},
                       {"read_by", JsonQuote(v.read_by)}});
  });
  return JsonObject({
      {"cpu", JsonObject({{"model", JsonQuote(r.cpu_model)},
                          {"logical_cpus", std::to_string(r.logical_cpus)},
                          {"physical_cores", std::to_string(r.physical_cores)},
                          {"threads_per_core", std::to_string(r.threads_per_core)},
                          {"smt", JsonQuote(r.smt)}})},
      {"simd", JsonObject({{"cpu", JsonStrings(r.cpu_simd)},
                           {"build", JsonStrings(r.build_simd)},
                           {"eigen", JsonStrings(r.eigen_simd)}})},
      {"eigen", JsonObject({{"version", JsonQuote(r.eigen_version)},
                            {"simd_in_use", JsonQuote(r.eigen_simd_in_use)}})},
      {"openmp", JsonObject({{"version", std::to_string(r.openmp_version)},
                             {"max_threads", std::to_string(r.omp_max_threads)}})},
      {"blas", JsonObject({{"gemm_backend", JsonQuote(r.gemm_backend)},
                           {"openblas_version", JsonQuote(r.openblas_version)},
                           {"openblas_config", JsonQuote(r.openblas_config)},
                           {"openblas_corename", JsonQuote(r.openblas_corename)},
                           {"openblas_core_choice", JsonQuote(r.openblas_core_choice)},
                           {"openblas_num_threads", std::to_string(r.openblas_num_threads)},
                           {"openblas_parallel", JsonQuote(r.openblas_parallel)}})},
      {"thread_variables", variables},
      {"build", JsonObject({{"type", JsonQuote(r.build_type)},
                            {"compiler", JsonQuote(r.compiler)},
                            {"flags", JsonQuote(r.compiler_flags)},
                            {"sanitizers", JsonQuote(r.sanitizers)},
                            {"release", JsonBool(r.release_build)}})},
      {"limits",
       JsonObject({{"affinity_cpus",
                    JsonArray(r.affinity_cpus, [](int cpu) { return std::to_string(cpu); })},
                   {"cgroup_cpu_quota", JsonOptional(r.cgroup_cpu_quota)},
                   {"cgroup_cpu_source", JsonQuote(r.cgroup_cpu_source)},
                   {"usable_cores", std::to_string(r.usable_cores)},
                   {"cpu_governor", JsonQuote(r.cpu_governor)},
                   {"shm_total_bytes", JsonOptional(r.shm_total_bytes)},
                   {"shm_free_bytes", JsonOptional(r.shm_free_bytes)},
                   {"mem_total_bytes", JsonOptional(r.mem_total_bytes)},
                   {"mem_available_bytes", JsonOptional(r.mem_available_bytes)},
                   {"kernel", JsonQuote(r.kernel)}})},
      {"warnings", JsonStrings(r.warnings)},
  });
}

std::string EnvReportJson() { return EnvReportJson(CollectEnvReport()); }

}  // namespace parlab
