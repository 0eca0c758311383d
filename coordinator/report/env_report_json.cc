#include "coordinator/report/env_report_json.h"

#include <cmath>

#include "coordinator/report/json_output.h"

namespace parlab {

pb::EnvReport EnvReportMessage(const EnvReport& r) {
  pb::EnvReport m;
  pb::EnvReport::Cpu& cpu = *m.mutable_cpu();
  cpu.set_model(r.cpu_model);
  cpu.set_logical_cpus(r.logical_cpus);
  cpu.set_physical_cores(r.physical_cores);
  cpu.set_threads_per_core(r.threads_per_core);
  cpu.set_smt(r.smt);
  pb::EnvReport::Simd& simd = *m.mutable_simd();
  for (const std::string& s : r.cpu_simd) simd.add_cpu(s);
  for (const std::string& s : r.build_simd) simd.add_build(s);
  for (const std::string& s : r.eigen_simd) simd.add_eigen(s);
  m.mutable_eigen()->set_version(r.eigen_version);
  m.mutable_eigen()->set_simd_in_use(r.eigen_simd_in_use);
  m.mutable_openmp()->set_version(r.openmp_version);
  m.mutable_openmp()->set_max_threads(r.omp_max_threads);
  pb::EnvReport::Blas& blas = *m.mutable_blas();
  blas.set_gemm_backend(r.gemm_backend);
  blas.set_openblas_version(r.openblas_version);
  blas.set_openblas_config(r.openblas_config);
  blas.set_openblas_corename(r.openblas_corename);
  blas.set_openblas_core_choice(r.openblas_core_choice);
  blas.set_openblas_num_threads(r.openblas_num_threads);
  blas.set_openblas_parallel(r.openblas_parallel);
  for (const ThreadVariable& v : r.thread_variables) {
    pb::EnvReport::ThreadVariable& variable = *m.add_thread_variables();
    variable.set_name(v.name);
    if (v.value) variable.set_value(*v.value);
    variable.set_obeyed(v.obeyed);
    variable.set_read_by(v.read_by);
  }
  pb::EnvReport::Build& build = *m.mutable_build();
  build.set_type(r.build_type);
  build.set_compiler(r.compiler);
  build.set_flags(r.compiler_flags);
  build.set_sanitizers(r.sanitizers);
  build.set_release(r.release_build);
  pb::EnvReport::Limits& limits = *m.mutable_limits();
  for (int cpu_index : r.affinity_cpus) limits.add_affinity_cpus(cpu_index);
  // JSON has no inf or nan: a quota that is not a number is no quota.
  if (r.cgroup_cpu_quota && std::isfinite(*r.cgroup_cpu_quota)) {
    limits.set_cgroup_cpu_quota(*r.cgroup_cpu_quota);
  }
  limits.set_cgroup_cpu_source(r.cgroup_cpu_source);
  limits.set_usable_cores(r.usable_cores);
  limits.set_cpu_governor(r.cpu_governor);
  if (r.shm_total_bytes) limits.set_shm_total_bytes(*r.shm_total_bytes);
  if (r.shm_free_bytes) limits.set_shm_free_bytes(*r.shm_free_bytes);
  if (r.mem_total_bytes) limits.set_mem_total_bytes(*r.mem_total_bytes);
  if (r.mem_available_bytes) limits.set_mem_available_bytes(*r.mem_available_bytes);
  limits.set_kernel(r.kernel);
  for (const std::string& warning : r.warnings) m.add_warnings(warning);
  MakeStringsValidUtf8(m);
  return m;
}

std::string EnvReportJson(const EnvReport& report) { return ToJson(EnvReportMessage(report)); }

std::string EnvReportJson() { return EnvReportJson(CollectEnvReport()); }

}  // namespace parlab
