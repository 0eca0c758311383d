#pragma once
// The environment report: what machine, build and environment produced a
// run's numbers, and what in them would hurt a parallel run. `parlab env`
// prints it; every report and log header embeds its JSON (env_report_json.h).
//
// Collection reads procfs/sysfs, the environment and the libraries' own
// answers; it never fails — what cannot be seen is reported as unknown or
// "not visible". The parsers below take a file's contents, so tests feed them
// fixture strings. The text rendering is `parlab env`'s own (env_command.h).
// Everything here is safe to call from any thread, and none of
// it starts an OpenMP or OpenBLAS thread (fork+exec stays safe afterwards).

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace parlab {

// One thread-related environment variable and whether this build obeys it.
struct ThreadVariable {
  std::string name;
  std::optional<std::string> value;  // nullopt: unset
  bool obeyed = false;               // read by something this binary runs
  std::string read_by;               // who reads it, or why nothing does
};

struct EnvReport {
  // CPU (from /proc/cpuinfo and sysfs)
  std::string cpu_model;
  int logical_cpus = 0;                 // online CPUs
  int physical_cores = 0;               // distinct (package, core) pairs; 0 = unknown
  int threads_per_core = 0;             // 0 = unknown
  std::string smt;                      // "on", "off", "not supported", "unknown"
  std::vector<std::string> cpu_simd;    // SIMD the CPU has, cpuinfo flag names
  std::vector<std::string> build_simd;  // SIMD this binary was compiled for, same names

  // Eigen and OpenMP
  std::string eigen_version;            // "3.4.0"
  std::vector<std::string> eigen_simd;  // from EIGEN_VECTORIZE_*, same names as cpu_simd
  std::string eigen_simd_in_use;        // Eigen::SimdInstructionSetsInUse(), verbatim
  int openmp_version = 0;               // _OPENMP, e.g. 201511 (OpenMP 4.5)
  int omp_max_threads = 0;

  // BLAS
  std::string gemm_backend;  // who runs parlab's own GEMM: Eigen, or OpenBLAS via EIGEN_USE_BLAS
  std::string openblas_version;
  std::string openblas_config;       // openblas_get_config()
  std::string openblas_corename;     // openblas_get_corename(): the kernels it runs
  std::string openblas_core_choice;  // who chose them (openblas_core.h OpenBlasCoreChoice)
  int openblas_num_threads = 0;
  std::string openblas_parallel;  // "sequential", "pthreads", "openmp"

  std::vector<ThreadVariable> thread_variables;

  // Build (shared/build_info.h)
  std::string build_type;
  std::string compiler;
  std::string compiler_flags;
  std::string sanitizers;
  bool release_build = false;

  // Limits: what would hurt a parallel run
  std::vector<int> affinity_cpus;                // sched_getaffinity, ascending
  std::optional<double> cgroup_cpu_quota;        // in cores; nullopt: no limit found
  std::string cgroup_cpu_source;                 // the file that sets the quota, or why none
  int usable_cores = 0;                          // UsableCoresFrom(affinity, quota)
  std::string cpu_governor;                      // "performance", ... or "not visible"
  std::optional<std::uint64_t> shm_total_bytes;  // /dev/shm, statvfs
  std::optional<std::uint64_t> shm_free_bytes;
  std::optional<std::uint64_t> mem_total_bytes;  // /proc/meminfo
  std::optional<std::uint64_t> mem_available_bytes;
  std::string kernel;  // uname: "Linux 6.1.0 x86_64"

  std::vector<std::string> warnings;  // EnvWarnings(*this)
};

// Reads everything now. Cheap (a few small files); takes no locks.
EnvReport CollectEnvReport();

// Cores this process can keep busy: min(affinity count, ceil(cgroup quota)),
// at least 1. What oversubscription warnings compare against.
int UsableCores();

// --- Pure pieces, exposed for tests ---------------------------------------

struct CpuInfo {
  std::string model;            // first "model name"; "unknown" if none
  int logical_cpus = 0;         // "processor" entries
  int physical_cores = 0;       // distinct (physical id, core id); 0 if not listed
  std::set<std::string> flags;  // "flags" (x86) or "Features" (Arm) of the first CPU
};
CpuInfo ParseCpuInfo(std::string_view proc_cpuinfo);

// The SIMD-related flags among `flags`, in a fixed order (sse4_2 ... avx512_vnni).
std::vector<std::string> SimdFlags(const std::set<std::string>& flags);

// cgroup v2 cpu.max: "max 100000" -> nullopt (no limit), "150000 100000" -> 1.5.
// Malformed -> nullopt.
std::optional<double> ParseCgroupV2CpuMax(std::string_view cpu_max);
// cgroup v1 cpu.cfs_quota_us and cpu.cfs_period_us: "-1" -> nullopt (no limit).
std::optional<double> ParseCgroupV1CpuQuota(std::string_view quota_us, std::string_view period_us);

struct CgroupQuota {
  std::optional<double> cores;  // nullopt: no limit found
  std::string source;           // the file that sets it, or why none was found
};
// The tightest CPU quota on the way from this process's cgroup up to the root
// of each hierarchy (a parent's limit binds its children): cgroup v2 cpu.max
// under /sys/fs/cgroup (or /sys/fs/cgroup/unified, hybrid) and v1
// cpu.cfs_quota_us under the cpu controller's mount. Walking up to the mount
// root also finds the limit a container sees of itself when /proc/self/cgroup
// names the host's path. `read_file` returns "" for a missing file.
CgroupQuota CgroupCpuQuota(std::string_view proc_self_cgroup,
                           const std::function<std::string(const std::string&)>& read_file);

struct MemInfo {
  std::optional<std::uint64_t> total_bytes;      // MemTotal
  std::optional<std::uint64_t> available_bytes;  // MemAvailable
};
MemInfo ParseMemInfo(std::string_view proc_meminfo);

// min(affinity_count, ceil(quota_cores)), at least 1.
int UsableCoresFrom(int affinity_count, std::optional<double> quota_cores);

// The warning when OpenBLAS chose kernels older than the CPU supports: the CPU
// has avx512f but the core is not SkylakeX/Cooperlake/SapphireRapids (suggest
// OPENBLAS_CORETYPE=SkylakeX), or it has avx2 but the core predates Haswell
// (suggest Haswell). nullopt when the choice fits or the core is unknown.
std::optional<std::string> OpenBlasCoreWarning(const std::vector<std::string>& cpu_simd,
                                               std::string_view corename);

// Every warning for `report` (OpenBLAS core, build, SIMD the build leaves
// unused, SMT, affinity, cgroup quota, governor, /dev/shm), one line each.
std::vector<std::string> EnvWarnings(const EnvReport& report);

}  // namespace parlab
