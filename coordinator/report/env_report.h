#pragma once
// The environment report: what machine, build and environment produced a
// run's numbers, and what in them would hurt a parallel run. `parlab env`
// prints it; every report and log header embeds its JSON (env_report_json.h).
//
// The report is its message, pb::EnvReport (proto/report.proto): one schema
// for the text, the JSON and the log headers, documented field by field there.
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

#include "proto/report.pb.h"

namespace parlab {

// Reads everything now, warnings included (EnvWarnings); not the ceiling,
// which takes time (`parlab env` probes it). Cheap (a few small files); takes
// no locks. Strings are as the system gave them: ToJson (json_output.h) makes
// them valid UTF-8.
pb::EnvReport CollectEnvReport();

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
std::vector<std::string> EnvWarnings(const pb::EnvReport& report);

}  // namespace parlab
