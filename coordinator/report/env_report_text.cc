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
std::string CpuRanges(const google::protobuf::RepeatedField<int32_t>& cpus) {
  std::string out;
  for (int i = 0; i < cpus.size();) {
    int j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += "-" + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out.empty() ? "unknown" : out;
}

// "unknown" when the field is unset (`known` false).
std::string Bytes(bool known, std::uint64_t bytes) {
  if (!known) return "unknown";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
  return out.str();
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
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

std::string EnvReportText(const pb::EnvReport& r) {
  const pb::EnvReport::Cpu& cpu = r.cpu();
  const pb::EnvReport::Simd& simd = r.simd();
  const pb::EnvReport::Blas& blas = r.blas();
  std::vector<std::pair<std::string, Fields>> sections;
  sections.push_back({"CPU",
                      {{"model", cpu.model()},
                       {"logical CPUs", OrUnknown(cpu.logical_cpus())},
                       {"physical cores", OrUnknown(cpu.physical_cores())},
                       {"threads per core", OrUnknown(cpu.threads_per_core())},
                       {"SMT", cpu.smt()}}});
  sections.push_back(
      {"SIMD",
       {{"CPU has", Join(simd.cpu())},
        {"binary built for", Join(simd.build())},
        {"Eigen uses", Join(simd.eigen()) + "  (Eigen says: " + r.eigen().simd_in_use() + ")"}}});
  sections.push_back({"Eigen / OpenMP",
                      {{"Eigen", r.eigen().version()},
                       {"OpenMP", OpenMpVersion(r.openmp().version())},
                       {"omp max threads", std::to_string(r.openmp().max_threads())}}});
  sections.push_back(
      {"BLAS",
       {{"parlab GEMM", blas.gemm_backend()},
        {"OpenBLAS", blas.openblas_version() + " (" + blas.openblas_parallel() + ", " +
                         std::to_string(blas.openblas_num_threads()) + " threads)"},
        {"OpenBLAS core", blas.openblas_corename() + " (" + blas.openblas_core_choice() + ")"},
        {"OpenBLAS config", blas.openblas_config()}}});
  Fields variables;
  for (const pb::EnvReport::ThreadVariable& v : r.thread_variables()) {
    std::string value = v.has_value() ? "\"" + v.value() + "\"" : "unset";
    value += std::string(value.size() < 8 ? 8 - value.size() : 1, ' ');
    variables.emplace_back(v.name().c_str(),
                           value + (v.obeyed() ? "read by " : "ignored: ") + v.read_by());
  }
  sections.push_back({"Thread variables", variables});
  const pb::EnvReport::Build& build = r.build();
  sections.push_back({"Build",
                      {{"type", build.type().empty() ? "none" : build.type()},
                       {"compiler", build.compiler()},
                       {"flags", build.flags().empty() ? "none" : build.flags()},
                       {"sanitizers", build.sanitizers().empty() ? "none" : build.sanitizers()}}});
  const pb::EnvReport::Limits& limits = r.limits();
  std::ostringstream quota;
  if (limits.has_cgroup_cpu_quota()) {
    quota << limits.cgroup_cpu_quota() << " cores (" << limits.cgroup_cpu_source() << ")";
  }
  const int affinity = limits.affinity_cpus_size();
  sections.push_back(
      {"Limits",
       {{"affinity", std::to_string(affinity) + (affinity == 1 ? " CPU (" : " CPUs (") +
                         CpuRanges(limits.affinity_cpus()) + ")"},
        {"cgroup CPU quota",
         limits.has_cgroup_cpu_quota() ? quota.str() : limits.cgroup_cpu_source()},
        {"usable cores", std::to_string(limits.usable_cores())},
        {"CPU governor", limits.cpu_governor()},
        {"/dev/shm", Bytes(limits.has_shm_free_bytes(), limits.shm_free_bytes()) + " free of " +
                         Bytes(limits.has_shm_total_bytes(), limits.shm_total_bytes())},
        {"memory", Bytes(limits.has_mem_available_bytes(), limits.mem_available_bytes()) +
                       " available of " +
                       Bytes(limits.has_mem_total_bytes(), limits.mem_total_bytes())},
        {"kernel", limits.kernel()},
        {"stamp clock", limits.stamp_clock()}}});

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
  out += r.warnings().empty() ? "Warnings: none\n" : "Warnings\n";
  for (const std::string& warning : r.warnings()) out += "  ! " + warning + "\n";
  return out;
}

}  // namespace parlab
