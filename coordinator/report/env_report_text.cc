#include "coordinator/report/env_report_text.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace parlab {
namespace {

using Fields = std::vector<std::pair<const char*, std::string>>;

// "0-3,6,8-9": how taskset and cpuset print CPU lists.
std::string CpuRanges(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += "-" + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out.empty() ? "unknown" : out;
}

std::string Bytes(const std::optional<std::uint64_t>& bytes) {
  if (!bytes) return "unknown";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << static_cast<double>(*bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
  return out.str();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " ") + item;
  return out.empty() ? "none" : out;
}

// _OPENMP is the date of the spec the compiler implements.
std::string OpenMpVersion(int date) {
  const struct {
    int date;
    const char* version;
  } kVersions[] = {{201107, "3.1"}, {201307, "4.0"}, {201511, "4.5"},
                   {201811, "5.0"}, {202011, "5.1"}, {202111, "5.2"}};
  for (const auto& v : kVersions) {
    if (v.date == date) return std::string(v.version) + " (" + std::to_string(date) + ")";
  }
  return std::to_string(date);
}

std::string OrUnknown(int value) { return value > 0 ? std::to_string(value) : "unknown"; }

}  // namespace

std::string EnvReportText(const EnvReport& r) {
  std::vector<std::pair<std::string, Fields>> sections;
  sections.push_back({"CPU",
                      {{"model", r.cpu_model},
                       {"logical CPUs", OrUnknown(r.logical_cpus)},
                       {"physical cores", OrUnknown(r.physical_cores)},
                       {"threads per core", OrUnknown(r.threads_per_core)},
                       {"SMT", r.smt}}});
  sections.push_back(
      {"SIMD",
       {{"CPU has", Join(r.cpu_simd)},
        {"binary built for", Join(r.build_simd)},
        {"Eigen uses", Join(r.eigen_simd) + "  (Eigen says: " + r.eigen_simd_in_use + ")"}}});
  sections.push_back({"Eigen / OpenMP",
                      {{"Eigen", r.eigen_version},
                       {"OpenMP", OpenMpVersion(r.openmp_version)},
                       {"omp max threads", std::to_string(r.omp_max_threads)}}});
  sections.push_back({"BLAS",
                      {{"parlab GEMM", r.gemm_backend},
                       {"OpenBLAS", r.openblas_version + " (" + r.openblas_parallel + ", " +
                                        std::to_string(r.openblas_num_threads) + " threads)"},
                       {"OpenBLAS core", r.openblas_corename + " (" + r.openblas_core_choice + ")"},
                       {"OpenBLAS config", r.openblas_config}}});
  Fields variables;
  for (const ThreadVariable& v : r.thread_variables) {
    std::string value = v.value ? "\"" + *v.value + "\"" : "unset";
    value += std::string(value.size() < 8 ? 8 - value.size() : 1, ' ');
    variables.emplace_back(v.name.c_str(),
                           value + (v.obeyed ? "read by " : "ignored: ") + v.read_by);
  }
  sections.push_back({"Thread variables", variables});
  sections.push_back({"Build",
                      {{"type", r.build_type.empty() ? "none" : r.build_type},
                       {"compiler", r.compiler},
                       {"flags", r.compiler_flags.empty() ? "none" : r.compiler_flags},
                       {"sanitizers", r.sanitizers.empty() ? "none" : r.sanitizers}}});
  std::ostringstream quota;
  if (r.cgroup_cpu_quota) quota << *r.cgroup_cpu_quota << " cores (" << r.cgroup_cpu_source << ")";
  sections.push_back(
      {"Limits",
       {{"affinity", std::to_string(r.affinity_cpus.size()) +
                         (r.affinity_cpus.size() == 1 ? " CPU (" : " CPUs (") +
                         CpuRanges(r.affinity_cpus) + ")"},
        {"cgroup CPU quota", r.cgroup_cpu_quota ? quota.str() : r.cgroup_cpu_source},
        {"usable cores", std::to_string(r.usable_cores)},
        {"CPU governor", r.cpu_governor},
        {"/dev/shm", Bytes(r.shm_free_bytes) + " free of " + Bytes(r.shm_total_bytes)},
        {"memory", Bytes(r.mem_available_bytes) + " available of " + Bytes(r.mem_total_bytes)},
        {"kernel", r.kernel}}});

  size_t width = 0;
  for (const auto& section : sections) {
    for (const auto& field : section.second) width = std::max(width, std::strlen(field.first));
  }
  std::string out;
  for (const auto& [title, fields] : sections) {
    out += title + "\n";
    for (const auto& [key, value] : fields) {
      out += "  " + std::string(key) + ":" + std::string(width - std::strlen(key) + 1, ' ') +
             value + "\n";
    }
  }
  out += r.warnings.empty() ? "Warnings: none\n" : "Warnings\n";
  for (const std::string& warning : r.warnings) out += "  ! " + warning + "\n";
  return out;
}

}  // namespace parlab
