#include "coordinator/report/env_report.h"

#include <omp.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <utility>

#include "coordinator/report/openblas_core.h"
#include "shared/build_info.h"
#include "shared/clock.h"
#include "shared/platform/affinity.h"
#include "shared/platform/system_memory.h"

// OpenBLAS's own queries (declared in its cblas.h, which Debian keeps in a
// per-variant include directory that FindBLAS does not report).
extern "C" {
char* openblas_get_config(void);
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
int openblas_get_parallel(void);
}

namespace parlab {
namespace {

// The whole file, or "" when it cannot be read: every caller treats a missing
// file as "not visible", which is common in containers and VMs.
std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    const size_t start = pos;
    while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos > start) words.push_back(text.substr(start, pos - start));
  }
  return words;
}

// A whole decimal integer (sign allowed), or nullopt.
std::optional<long long> ToInt(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  const std::string copy(s);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(copy.c_str(), &end, 10);
  if (errno != 0 || end != copy.c_str() + copy.size()) return std::nullopt;
  return value;
}

// "key<tabs>: value" as in /proc/cpuinfo and /proc/meminfo.
std::optional<std::pair<std::string_view, std::string_view>> SplitKeyValue(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return std::make_pair(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
}

}  // namespace

CpuInfo ParseCpuInfo(std::string_view proc_cpuinfo) {
  CpuInfo info;
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::string physical_id;
  bool have_flags = false;
  for (std::string_view line : Lines(proc_cpuinfo)) {
    const auto kv = SplitKeyValue(line);
    if (!kv) continue;
    const auto [key, value] = *kv;
    if (key == "processor") {
      ++info.logical_cpus;
      physical_id = "0";  // single-socket machines and VMs may omit it
    } else if (key == "model name" && info.model.empty()) {
      info.model = std::string(value);
    } else if (key == "physical id") {
      physical_id = std::string(value);
    } else if (key == "core id") {
      cores.emplace(physical_id, std::string(value));
    } else if ((key == "flags" || key == "Features") && !have_flags) {
      // The first CPU speaks for all: mixed flag sets do not occur on x86
      // servers, and hybrid client parts report the common subset.
      have_flags = true;
      for (std::string_view word : Words(value)) info.flags.emplace(word);
    }
  }
  if (info.model.empty()) info.model = "unknown";
  info.physical_cores = static_cast<int>(cores.size());
  return info;
}

std::vector<std::string> SimdFlags(const std::set<std::string>& flags) {
  static const char* const kOrder[] = {
      "sse4_2",   "avx",      "avx2",     "fma",         "avx512f",     "avx512dq",
      "avx512cd", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
      "avx_vnni", "amx_tile", "amx_bf16", "amx_int8",    "asimd",       "sve"};
  std::vector<std::string> simd;
  for (const char* name : kOrder) {
    if (flags.count(name) != 0) simd.emplace_back(name);
  }
  return simd;
}

std::optional<double> ParseCgroupV2CpuMax(std::string_view cpu_max) {
  const std::vector<std::string_view> words = Words(cpu_max);
  if (words.empty() || words.size() > 2 || words[0] == "max") return std::nullopt;
  const std::optional<long long> quota = ToInt(words[0]);
  // The period defaults to 100 ms when the file gives only the quota.
  const std::optional<long long> period = words.size() == 2 ? ToInt(words[1]) : 100000;
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

std::optional<double> ParseCgroupV1CpuQuota(std::string_view quota_us, std::string_view period_us) {
  const std::optional<long long> quota = ToInt(quota_us);
  const std::optional<long long> period = ToInt(period_us);
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;  // -1: no limit
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

MemInfo ParseMemInfo(std::string_view proc_meminfo) {
  MemInfo info;
  for (std::string_view line : Lines(proc_meminfo)) {
    const auto kv = SplitKeyValue(line);
    if (!kv) continue;
    std::optional<std::uint64_t>* field = nullptr;
    if (kv->first == "MemTotal") field = &info.total_bytes;
    if (kv->first == "MemAvailable") field = &info.available_bytes;
    if (field == nullptr) continue;
    const std::vector<std::string_view> words = Words(kv->second);  // "16318412 kB"
    if (words.empty()) continue;
    const std::optional<long long> value = ToInt(words[0]);
    if (!value || *value < 0) continue;
    const std::uint64_t unit = words.size() > 1 && words[1] == "kB" ? 1024 : 1;
    *field = static_cast<std::uint64_t>(*value) * unit;
  }
  return info;
}

CgroupQuota CgroupCpuQuota(std::string_view proc_self_cgroup,
                           const std::function<std::string(const std::string&)>& read_file) {
  std::vector<std::string> v2_dirs;
  std::vector<std::string> v1_dirs;
  for (std::string_view line : Lines(proc_self_cgroup)) {
    // "hierarchy-id:controllers:path"
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    std::string path(line.substr(second + 1));
    // Walk up: /a/b, /a, "" (the root).
    std::vector<std::string> chain;
    while (true) {
      while (!path.empty() && path.back() == '/') path.pop_back();
      chain.push_back(path);
      if (path.empty()) break;
      path.erase(path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
    }
    if (controllers.empty()) {
      for (const std::string& p : chain) {
        v2_dirs.push_back("/sys/fs/cgroup" + p);
        v2_dirs.push_back("/sys/fs/cgroup/unified" + p);
      }
    }
    const std::string list = "," + std::string(controllers) + ",";
    if (list.find(",cpu,") != std::string::npos) {
      for (const std::string& p : chain) {
        v1_dirs.push_back("/sys/fs/cgroup/cpu" + p);
        v1_dirs.push_back("/sys/fs/cgroup/cpu,cpuacct" + p);
      }
    }
  }
  CgroupQuota best;
  auto consider = [&best](std::optional<double> cores, const std::string& source) {
    if (cores && (!best.cores || *cores < *best.cores)) {
      best.cores = cores;
      best.source = source;
    }
  };
  for (const std::string& dir : v2_dirs) {
    const std::string file = dir + "/cpu.max";
    consider(ParseCgroupV2CpuMax(read_file(file)), file);
  }
  for (const std::string& dir : v1_dirs) {
    consider(ParseCgroupV1CpuQuota(read_file(dir + "/cpu.cfs_quota_us"),
                                   read_file(dir + "/cpu.cfs_period_us")),
             dir + "/cpu.cfs_quota_us");
  }
  if (!best.cores) best.source = "no limit found (cgroup v2 cpu.max, v1 cpu.cfs_quota_us)";
  return best;
}

int UsableCoresFrom(int affinity_count, std::optional<double> quota_cores) {
  int cores = std::max(affinity_count, 1);
  if (quota_cores && *quota_cores > 0) {
    // ceil: a 1.5-core quota keeps 2 threads running, each throttled part of the time.
    const double ceiling = std::ceil(*quota_cores);
    if (ceiling < cores) cores = static_cast<int>(ceiling);
  }
  return std::max(cores, 1);
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A std::vector or a message's repeated field of strings.
template <typename List>
bool Has(const List& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::optional<std::string> OpenBlasCoreWarning(const std::vector<std::string>& cpu_simd,
                                               std::string_view corename) {
  if (Trim(corename).empty() || Lower(corename) == "unknown") return std::nullopt;
  const int core = OpenBlasCoreSimdTier(corename);
  const std::string chose = "OpenBLAS chose its '" + std::string(corename) + "' kernels";
  // Debian's OpenBLAS 0.3.21 does not know Emerald Rapids Xeons: it falls back to
  // Prescott and runs GEMM ~5x slower there than with OPENBLAS_CORETYPE=SkylakeX
  // (seen on the project's Xeon with the notebook; not re-measured by this code).
  if (Has(cpu_simd, "avx512f") && core < 2) {
    return chose + " but the CPU has AVX-512: GEMM may run several times slower than it can;" +
           " try OPENBLAS_CORETYPE=SkylakeX";
  }
  if (Has(cpu_simd, "avx2") && core < 1) {
    return chose + " but the CPU has AVX2: GEMM may run several times slower than it can;" +
           " try OPENBLAS_CORETYPE=Haswell";
  }
  return std::nullopt;
}

std::vector<std::string> EnvWarnings(const pb::EnvReport& r) {
  std::vector<std::string> w;
  const std::vector<std::string> cpu_simd(r.simd().cpu().begin(), r.simd().cpu().end());
  if (auto blas = OpenBlasCoreWarning(cpu_simd, r.blas().openblas_corename())) {
    // parlab picks the best core itself unless the user chose one.
    if (r.blas().openblas_core_choice().find("from the environment") != std::string::npos) {
      *blas += " (or unset OPENBLAS_CORETYPE: parlab then chooses the best core itself)";
    }
    w.push_back(*blas);
  }
  const pb::EnvReport::Build& build = r.build();
  if (!IsReleaseBuildType(build.type())) {
    w.push_back("not a release build (" + (build.type().empty() ? "no build type" : build.type()) +
                "): timings are not representative");
  }
  if (!build.sanitizers().empty()) {
    w.push_back("built with sanitizers (" + build.sanitizers() +
                "): timings are not representative");
  }
  for (const char* simd : {"avx512f", "avx2"}) {
    if (Has(r.simd().cpu(), simd) && !Has(r.simd().build(), simd)) {
      w.push_back(std::string("built without ") + simd +
                  " though the CPU has it: Eigen kernels run narrower SIMD than they could" +
                  " (Release with PARLAB_NATIVE=ON builds for this CPU)");
      break;
    }
  }
  const pb::EnvReport::Cpu& cpu = r.cpu();
  if (cpu.smt() == "on") {
    w.push_back("SMT on: " + std::to_string(cpu.logical_cpus()) + " logical CPUs share " +
                std::to_string(cpu.physical_cores()) +
                " cores; compute-bound runs scale with cores, not logical CPUs");
  }
  const pb::EnvReport::Limits& limits = r.limits();
  const int affinity = limits.affinity_cpus_size();
  if (affinity > 0 && affinity < cpu.logical_cpus()) {
    w.push_back("affinity: this process may run on " + std::to_string(affinity) + " of " +
                std::to_string(cpu.logical_cpus()) + " CPUs (taskset/cpuset)");
  }
  if (limits.has_cgroup_cpu_quota() && limits.cgroup_cpu_quota() < affinity) {
    std::ostringstream quota;
    quota << limits.cgroup_cpu_quota();
    w.push_back("cgroup CPU quota " + quota.str() + " cores < " + std::to_string(affinity) +
                " CPUs: threads beyond " + std::to_string(limits.usable_cores()) +
                " get throttled");
  }
  if (limits.cpu_governor() != "performance" &&
      limits.cpu_governor().find("not visible") == std::string::npos) {
    w.push_back("CPU frequency governor is '" + limits.cpu_governor() +
                "': clocks ramp during a run; 'performance' gives steadier timings");
  }
  constexpr std::uint64_t kSmallShmBytes = 256ull << 20;
  if (limits.has_shm_free_bytes() && limits.shm_free_bytes() < kSmallShmBytes) {
    w.push_back(
        "/dev/shm has only " + std::to_string(limits.shm_free_bytes() >> 20) +
        " MiB free: the procs mode's shared-memory arenas may not fit (docker: --shm-size)");
  }
  return w;
}

namespace {

// SIMD this translation unit was compiled for. Every parlab target gets the same
// global flags (-march=native in Release), so this speaks for the kernels too.
std::vector<std::string> BuildSimd() {
  std::vector<std::string> simd;
#ifdef __SSE4_2__
  simd.emplace_back("sse4_2");
#endif
#ifdef __AVX__
  simd.emplace_back("avx");
#endif
#ifdef __AVX2__
  simd.emplace_back("avx2");
#endif
#ifdef __FMA__
  simd.emplace_back("fma");
#endif
#ifdef __AVX512F__
  simd.emplace_back("avx512f");
#endif
#ifdef __AVX512DQ__
  simd.emplace_back("avx512dq");
#endif
#ifdef __AVX512CD__
  simd.emplace_back("avx512cd");
#endif
#ifdef __AVX512BW__
  simd.emplace_back("avx512bw");
#endif
#ifdef __AVX512VL__
  simd.emplace_back("avx512vl");
#endif
#ifdef __AVX512VNNI__
  simd.emplace_back("avx512_vnni");
#endif
#ifdef __ARM_NEON
  simd.emplace_back("asimd");
#endif
#ifdef __ARM_FEATURE_SVE
  simd.emplace_back("sve");
#endif
  return simd;
}

// What Eigen vectorises with. Its own SimdInstructionSetsInUse() (3.4) names
// no AVX2, FMA or AVX-512 sub-features, so the macros say more.
std::vector<std::string> EigenSimd() {
  std::vector<std::string> simd;
#ifdef EIGEN_VECTORIZE_SSE4_2
  simd.emplace_back("sse4_2");
#endif
#ifdef EIGEN_VECTORIZE_AVX
  simd.emplace_back("avx");
#endif
#ifdef EIGEN_VECTORIZE_AVX2
  simd.emplace_back("avx2");
#endif
#ifdef EIGEN_VECTORIZE_FMA
  simd.emplace_back("fma");
#endif
#ifdef EIGEN_VECTORIZE_AVX512
  simd.emplace_back("avx512f");
#endif
#ifdef EIGEN_VECTORIZE_AVX512DQ
  simd.emplace_back("avx512dq");
#endif
#ifdef EIGEN_VECTORIZE_NEON
  simd.emplace_back("asimd");
#endif
#ifdef EIGEN_VECTORIZE_SVE
  simd.emplace_back("sve");
#endif
  return simd;
}

std::string SmtState(int logical_cpus, int physical_cores) {
  const std::string active(Trim(ReadFile("/sys/devices/system/cpu/smt/active")));
  const std::string control(Trim(ReadFile("/sys/devices/system/cpu/smt/control")));
  if (control == "notsupported" || control == "notimplemented") return "not supported";
  if (active == "1") return "on";
  if (active == "0") return "off";
  // No sysfs switch (older kernels): infer from the topology cpuinfo gave.
  if (physical_cores > 0) return logical_cpus > physical_cores ? "on" : "off";
  return "unknown";
}

std::vector<int> AffinityCpus() {
  Result<std::vector<int>> cpus = AllowedCpus();
  return cpus.ok() ? std::move(cpus).value() : std::vector<int>{};
}

CgroupQuota ReadCgroupQuota() { return CgroupCpuQuota(ReadFile("/proc/self/cgroup"), ReadFile); }

std::string Governor(const std::vector<int>& affinity) {
  const int cpu = affinity.empty() ? 0 : affinity.front();
  const std::string path =
      "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/cpufreq/scaling_governor";
  std::string governor(Trim(ReadFile(path)));
  if (governor.empty()) return "not visible (no cpufreq in sysfs: a VM or container)";
  return governor;
}

std::string Kernel() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

std::string OpenBlasParallel(int code) {
  switch (code) {
    case 0:
      return "sequential";
    case 1:
      return "pthreads";
    case 2:
      return "openmp";
    default:
      return "unknown (" + std::to_string(code) + ")";
  }
}

// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." -> "0.3.21".
std::string OpenBlasVersion(std::string_view config) {
  const std::vector<std::string_view> words = Words(config);
  if (words.size() >= 2 && words[0] == "OpenBLAS") return std::string(words[1]);
  return "unknown";
}

void AddThreadVariables(std::string_view openblas_config, std::string_view openblas_version,
                        pb::EnvReport& report) {
  const bool dynamic_arch = openblas_config.find("DYNAMIC_ARCH") != std::string_view::npos;
  const std::string coretype_reader = dynamic_arch
                                          ? "OpenBLAS, to choose its kernels (DYNAMIC_ARCH build)"
                                          : "this OpenBLAS is built for one core (no DYNAMIC_ARCH)";
  // Checked on Debian's libopenblasp-r0.3.21.so: the name is not in the library.
  const std::string l2_reader =
      openblas_version == "0.3.21"
          ? "OpenBLAS 0.3.21 does not read it (later versions override the L2 size with it)"
          : "OpenBLAS cache-size override, read by some versions only";
  const struct {
    const char* name;
    bool obeyed;
    std::string read_by;
  } kVariables[] = {
      {"OMP_NUM_THREADS", true,
       "OpenMP kernels (Eigen); OpenBLAS too if OPENBLAS_NUM_THREADS is unset"},
      {"OPENBLAS_NUM_THREADS", true, "OpenBLAS reference"},
      {"GOTO_NUM_THREADS", true, "OpenBLAS, if OPENBLAS_NUM_THREADS is unset"},
      {"MKL_NUM_THREADS", false, "this build has no MKL"},
      {"NUMEXPR_NUM_THREADS", false, "numexpr is a Python library"},
      {"OMP_PROC_BIND", true, "OpenMP kernels (Eigen)"},
      {"OMP_PLACES", true, "OpenMP kernels (Eigen)"},
      {"OMP_WAIT_POLICY", true, "OpenMP kernels (Eigen)"},
      {"GOMP_SPINCOUNT", true, "OpenMP kernels (libgomp)"},
      {"OPENBLAS_CORETYPE", dynamic_arch, coretype_reader},
      {"OPENBLAS_L2_SIZE", false, l2_reader},
  };
  for (const auto& v : kVariables) {
    pb::EnvReport::ThreadVariable& variable = *report.add_thread_variables();
    variable.set_name(v.name);
    if (const char* value = std::getenv(v.name)) variable.set_value(value);
    variable.set_obeyed(v.obeyed);
    variable.set_read_by(v.read_by);
  }
}

}  // namespace

pb::EnvReport CollectEnvReport() {
  pb::EnvReport r;
  const CpuInfo cpu_info = ParseCpuInfo(ReadFile("/proc/cpuinfo"));
  pb::EnvReport::Cpu& cpu = *r.mutable_cpu();
  cpu.set_model(cpu_info.model);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  cpu.set_logical_cpus(online > 0 ? static_cast<int>(online) : cpu_info.logical_cpus);
  cpu.set_physical_cores(cpu_info.physical_cores);
  if (cpu.physical_cores() > 0) {
    cpu.set_threads_per_core(std::max(1, cpu.logical_cpus() / cpu.physical_cores()));
  }
  cpu.set_smt(SmtState(cpu.logical_cpus(), cpu.physical_cores()));
  pb::EnvReport::Simd& simd = *r.mutable_simd();
  for (std::string& flag : SimdFlags(cpu_info.flags)) simd.add_cpu(std::move(flag));
  for (std::string& flag : BuildSimd()) simd.add_build(std::move(flag));
  for (std::string& flag : EigenSimd()) simd.add_eigen(std::move(flag));

  r.mutable_eigen()->set_version(std::to_string(EIGEN_WORLD_VERSION) + "." +
                                 std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                 std::to_string(EIGEN_MINOR_VERSION));
  r.mutable_eigen()->set_simd_in_use(Eigen::SimdInstructionSetsInUse());
  r.mutable_openmp()->set_version(_OPENMP);
  // Reads the ICV only; no OpenMP thread starts until a parallel region does.
  r.mutable_openmp()->set_max_threads(omp_get_max_threads());

  pb::EnvReport::Blas& blas = *r.mutable_blas();
#ifdef PARLAB_EIGEN_USE_BLAS
  blas.set_gemm_backend(
      "OpenBLAS (Eigen built with EIGEN_USE_BLAS; Eigen's own GEMM is a row of bench gemm)");
#else
  blas.set_gemm_backend("Eigen's own GEMM (OpenBLAS is the benchmark reference only)");
#endif
  // OpenBLAS starts its thread pool when the library loads, so these only read.
  const char* config = openblas_get_config();
  const char* corename = openblas_get_corename();
  blas.set_openblas_config(config != nullptr ? std::string(Trim(config)) : "unknown");
  blas.set_openblas_corename(corename != nullptr ? std::string(Trim(corename)) : "unknown");
  blas.set_openblas_core_choice(OpenBlasCoreChoice());
  blas.set_openblas_version(OpenBlasVersion(blas.openblas_config()));
  blas.set_openblas_num_threads(openblas_get_num_threads());
  blas.set_openblas_parallel(OpenBlasParallel(openblas_get_parallel()));

  AddThreadVariables(blas.openblas_config(), blas.openblas_version(), r);

  pb::EnvReport::Build& build = *r.mutable_build();
  build.set_type(std::string(BuildType()));
  build.set_compiler(std::string(CompilerId()));
  build.set_flags(std::string(CompilerFlags()));
  build.set_sanitizers(std::string(Sanitizers()));
  build.set_release(IsReleaseBuild());

  pb::EnvReport::Limits& limits = *r.mutable_limits();
  const std::vector<int> affinity = AffinityCpus();
  for (int cpu_index : affinity) limits.add_affinity_cpus(cpu_index);
  const CgroupQuota quota = ReadCgroupQuota();
  // JSON has no inf or nan: a quota that is not a number is no quota.
  if (quota.cores && std::isfinite(*quota.cores)) limits.set_cgroup_cpu_quota(*quota.cores);
  limits.set_cgroup_cpu_source(quota.source);
  limits.set_usable_cores(UsableCoresFrom(static_cast<int>(affinity.size()), quota.cores));
  limits.set_cpu_governor(Governor(affinity));
  if (const FreeSpace shm = FreeBytesOn("/dev/shm"); shm.known) {
    limits.set_shm_total_bytes(shm.total_bytes);
    limits.set_shm_free_bytes(shm.bytes);
  }
  const MemInfo mem = ParseMemInfo(ReadFile("/proc/meminfo"));
  if (mem.total_bytes) limits.set_mem_total_bytes(*mem.total_bytes);
  if (mem.available_bytes) limits.set_mem_available_bytes(*mem.available_bytes);
  limits.set_kernel(Kernel());
  limits.set_stamp_clock(CurrentStampClock().Describe());

  for (std::string& warning : EnvWarnings(r)) r.add_warnings(std::move(warning));
  return r;
}

int UsableCores() {
  return UsableCoresFrom(static_cast<int>(AffinityCpus().size()), ReadCgroupQuota().cores);
}

}  // namespace parlab
