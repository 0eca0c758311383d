#include "coordinator/report/env_report.h"

#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coordinator/report/env_report_text.h"

namespace parlab {
namespace {

constexpr char kCpuInfo[] =
    "processor\t: 0\n"
    "vendor_id\t: GenuineIntel\n"
    "model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.30GHz\n"
    "physical id\t: 0\n"
    "siblings\t: 4\n"
    "core id\t\t: 0\n"
    "cpu cores\t: 2\n"
    "flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx avx2 avx512f avx512dq avx512bw "
    "avx512vl avx512_vnni amx_tile\n"
    "\n"
    "processor\t: 1\n"
    "model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.30GHz\n"
    "physical id\t: 0\n"
    "core id\t\t: 0\n"
    "flags\t\t: fpu sse\n"
    "\n"
    "processor\t: 2\n"
    "physical id\t: 0\n"
    "core id\t\t: 1\n"
    "\n"
    "processor\t: 3\n"
    "physical id\t: 0\n"
    "core id\t\t: 1\n";

TEST(ParseCpuInfoTest, ModelCoresAndFlags) {
  const CpuInfo info = ParseCpuInfo(kCpuInfo);
  EXPECT_EQ(info.model, "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.30GHz");
  EXPECT_EQ(info.logical_cpus, 4);
  EXPECT_EQ(info.physical_cores, 2);  // two hyper-threads on each of cores 0 and 1
  EXPECT_EQ(info.flags.count("avx512f"), 1u);
  EXPECT_EQ(SimdFlags(info.flags),
            (std::vector<std::string>{"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq",
                                      "avx512bw", "avx512vl", "avx512_vnni", "amx_tile"}));
}

TEST(ParseCpuInfoTest, SameCoreIdOnTwoSocketsIsTwoCores) {
  const CpuInfo info = ParseCpuInfo(
      "processor: 0\nphysical id: 0\ncore id: 0\nprocessor: 1\nphysical id: 1\ncore id: 0\n");
  EXPECT_EQ(info.physical_cores, 2);
}

TEST(ParseCpuInfoTest, EmptyOrArmLooksUnknownNotBroken) {
  const CpuInfo empty = ParseCpuInfo("");
  EXPECT_EQ(empty.model, "unknown");
  EXPECT_EQ(empty.logical_cpus, 0);
  EXPECT_EQ(empty.physical_cores, 0);
  EXPECT_TRUE(SimdFlags(empty.flags).empty());

  const CpuInfo arm = ParseCpuInfo("processor\t: 0\nFeatures\t: fp asimd evtstrm sve\n");
  EXPECT_EQ(SimdFlags(arm.flags), (std::vector<std::string>{"asimd", "sve"}));
}

TEST(CgroupTest, V2CpuMax) {
  EXPECT_EQ(ParseCgroupV2CpuMax("max 100000\n"), std::nullopt);
  EXPECT_EQ(ParseCgroupV2CpuMax("150000 100000\n"), 1.5);
  EXPECT_EQ(ParseCgroupV2CpuMax("200000"), 2.0);  // period defaults to 100 ms
  EXPECT_EQ(ParseCgroupV2CpuMax(""), std::nullopt);
  EXPECT_EQ(ParseCgroupV2CpuMax("abc 100000"), std::nullopt);
  EXPECT_EQ(ParseCgroupV2CpuMax("100000 0"), std::nullopt);
}

TEST(CgroupTest, V1Quota) {
  EXPECT_EQ(ParseCgroupV1CpuQuota("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(ParseCgroupV1CpuQuota("50000\n", "100000\n"), 0.5);
  EXPECT_EQ(ParseCgroupV1CpuQuota("", ""), std::nullopt);
}

// A fake filesystem for CgroupCpuQuota: path -> contents, "" when absent.
std::function<std::string(const std::string&)> Files(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) {
    const auto it = files.find(path);
    return it == files.end() ? std::string() : it->second;
  };
}

TEST(CgroupTest, V2TakesTheTightestLimitUpTheTree) {
  const CgroupQuota q = CgroupCpuQuota(
      "0::/user.slice/job\n", Files({{"/sys/fs/cgroup/user.slice/job/cpu.max", "max 100000\n"},
                                     {"/sys/fs/cgroup/user.slice/cpu.max", "150000 100000\n"},
                                     {"/sys/fs/cgroup/cpu.max", "400000 100000\n"}}));
  EXPECT_EQ(q.cores, 1.5);
  EXPECT_EQ(q.source, "/sys/fs/cgroup/user.slice/cpu.max");
}

TEST(CgroupTest, V1ContainerSeesItsLimitAtTheMountRoot) {
  // Docker without a cgroup namespace: the host path is listed, the container's
  // own cgroup is mounted at the root.
  const CgroupQuota q =
      CgroupCpuQuota("4:cpu,cpuacct:/docker/abc123\n3:memory:/docker/abc123\n0::/\n",
                     Files({{"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "200000\n"},
                            {"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n"}}));
  EXPECT_EQ(q.cores, 2.0);
  EXPECT_EQ(q.source, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us");
}

TEST(CgroupTest, NoLimitAnywhere) {
  const CgroupQuota q = CgroupCpuQuota(
      "1:cpu:/\n0::/\n", Files({{"/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n"},
                                {"/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n"}}));
  EXPECT_EQ(q.cores, std::nullopt);
  EXPECT_NE(q.source.find("no limit found"), std::string::npos);
  EXPECT_EQ(CgroupCpuQuota("", Files({})).cores, std::nullopt);
  EXPECT_EQ(CgroupCpuQuota("garbage without colons", Files({})).cores, std::nullopt);
}

TEST(ParseMemInfoTest, TotalAndAvailableInBytes) {
  const MemInfo mem = ParseMemInfo(
      "MemTotal:       16318412 kB\nMemFree:         1000 kB\nMemAvailable:   12000000 kB\n");
  EXPECT_EQ(mem.total_bytes, 16318412ull * 1024);
  EXPECT_EQ(mem.available_bytes, 12000000ull * 1024);
  const MemInfo none = ParseMemInfo("garbage\n");
  EXPECT_EQ(none.total_bytes, std::nullopt);
  EXPECT_EQ(none.available_bytes, std::nullopt);
}

TEST(UsableCoresTest, MinOfAffinityAndCeilingOfQuota) {
  EXPECT_EQ(UsableCoresFrom(8, std::nullopt), 8);
  EXPECT_EQ(UsableCoresFrom(8, 1.5), 2);
  EXPECT_EQ(UsableCoresFrom(2, 16.0), 2);
  EXPECT_EQ(UsableCoresFrom(4, 0.1), 1);
  EXPECT_EQ(UsableCoresFrom(0, std::nullopt), 1);  // affinity unreadable: assume one
}

TEST(UsableCoresTest, RunsOnThisMachine) { EXPECT_GE(UsableCores(), 1); }

TEST(OpenBlasCoreWarningTest, Avx512CpuWithOldCoreSuggestsSkylakeX) {
  const std::vector<std::string> simd = {"avx", "avx2", "fma", "avx512f"};
  const auto warning = OpenBlasCoreWarning(simd, "Prescott");
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("'Prescott'"), std::string::npos);
  EXPECT_NE(warning->find("OPENBLAS_CORETYPE=SkylakeX"), std::string::npos);
  EXPECT_TRUE(OpenBlasCoreWarning(simd, "Haswell").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning(simd, "SkylakeX").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning(simd, "Cooperlake").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning(simd, "SAPPHIRERAPIDS").has_value());  // case-insensitive
}

TEST(OpenBlasCoreWarningTest, Avx2CpuWithPreHaswellCoreSuggestsHaswell) {
  const std::vector<std::string> simd = {"avx", "avx2", "fma"};
  for (const char* old_core : {"Prescott", "Nehalem", "Sandybridge", "Core2"}) {
    const auto warning = OpenBlasCoreWarning(simd, old_core);
    ASSERT_TRUE(warning.has_value()) << old_core;
    EXPECT_NE(warning->find("OPENBLAS_CORETYPE=Haswell"), std::string::npos);
  }
  EXPECT_FALSE(OpenBlasCoreWarning(simd, "Haswell").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning(simd, "Zen").has_value());
}

TEST(OpenBlasCoreWarningTest, NoWarningWithoutEvidence) {
  EXPECT_FALSE(OpenBlasCoreWarning({"sse4_2"}, "Prescott").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning({"avx2"}, "").has_value());
  EXPECT_FALSE(OpenBlasCoreWarning({"avx2"}, "unknown").has_value());
}

TEST(EnvWarningsTest, NamesEachProblem) {
  pb::EnvReport r;
  r.mutable_build()->set_type("Debug");
  r.mutable_simd()->add_cpu("avx2");
  r.mutable_simd()->add_cpu("avx512f");
  r.mutable_simd()->add_build("sse4_2");
  r.mutable_blas()->set_openblas_corename("Prescott");
  r.mutable_cpu()->set_smt("on");
  r.mutable_cpu()->set_logical_cpus(8);
  r.mutable_cpu()->set_physical_cores(4);
  pb::EnvReport::Limits& limits = *r.mutable_limits();
  for (int cpu : {0, 1, 2, 3}) limits.add_affinity_cpus(cpu);
  limits.set_cgroup_cpu_quota(1.5);
  limits.set_usable_cores(2);
  limits.set_cpu_governor("powersave");
  limits.set_shm_free_bytes(64ull << 20);
  const std::vector<std::string> w = EnvWarnings(r);
  auto has = [&w](std::string_view prefix) {
    for (const std::string& line : w) {
      if (line.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("OpenBLAS chose its 'Prescott' kernels"));
  EXPECT_TRUE(has("not a release build (Debug)"));
  EXPECT_TRUE(has("built without avx512f"));
  EXPECT_TRUE(has("SMT on: 8 logical CPUs share 4 cores"));
  EXPECT_TRUE(has("affinity: this process may run on 4 of 8 CPUs"));
  EXPECT_TRUE(has("cgroup CPU quota 1.5 cores < 4 CPUs"));
  EXPECT_TRUE(has("CPU frequency governor is 'powersave'"));
  EXPECT_TRUE(has("/dev/shm has only 64 MiB free"));
  EXPECT_EQ(w.size(), 8u);
}

TEST(EnvWarningsTest, ANarrowCoreTheUserAskedForSaysParlabWouldChoose) {
  pb::EnvReport r;
  r.mutable_build()->set_type("Release");
  for (const char* simd : {"avx2", "fma", "avx512f"}) r.mutable_simd()->add_cpu(simd);
  r.mutable_blas()->set_openblas_corename("Haswell");
  r.mutable_blas()->set_openblas_core_choice("OPENBLAS_CORETYPE=Haswell from the environment");
  const std::vector<std::string> w = EnvWarnings(r);
  ASSERT_FALSE(w.empty());
  EXPECT_NE(w[0].find("try OPENBLAS_CORETYPE=SkylakeX (or unset OPENBLAS_CORETYPE: parlab then "
                      "chooses the best core itself)"),
            std::string::npos)
      << w[0];
}

TEST(EnvWarningsTest, QuietOnAGoodMachine) {
  pb::EnvReport r;
  r.mutable_build()->set_type("Release");
  r.mutable_simd()->add_cpu("avx2");
  r.mutable_simd()->add_build("avx2");
  r.mutable_blas()->set_openblas_corename("Haswell");
  r.mutable_cpu()->set_smt("off");
  r.mutable_cpu()->set_logical_cpus(2);
  pb::EnvReport::Limits& limits = *r.mutable_limits();
  limits.add_affinity_cpus(0);
  limits.add_affinity_cpus(1);
  limits.set_usable_cores(2);
  limits.set_cpu_governor("not visible (no cpufreq in sysfs: a VM or container)");
  limits.set_shm_free_bytes(1ull << 30);
  EXPECT_EQ(EnvWarnings(r), std::vector<std::string>{});
}

TEST(EnvReportTextTest, HasEverySectionAndRuns) {
  const pb::EnvReport r = CollectEnvReport();
  EXPECT_GE(r.limits().usable_cores(), 1);
  EXPECT_GE(r.cpu().logical_cpus(), 1);
  EXPECT_FALSE(r.blas().openblas_corename().empty());
  EXPECT_FALSE(r.has_ceiling());  // `parlab env` probes it; a log header does not wait for it
  const std::string text = EnvReportText(r);
  for (const char* section : {"CPU\n", "SIMD\n", "Eigen / OpenMP\n", "BLAS\n", "Thread variables\n",
                              "Build\n", "Limits\n", "Warnings"}) {
    EXPECT_NE(text.find(section), std::string::npos) << section;
  }
  EXPECT_NE(text.find("OPENBLAS_CORETYPE"), std::string::npos);
}

// The text of a report filled by hand: set and unset fields alike.
TEST(EnvReportTextTest, SaysWhatIsUnknownAndWhatIsUnset) {
  pb::EnvReport r;
  r.mutable_cpu()->set_model("Test CPU");
  r.mutable_cpu()->set_logical_cpus(4);
  r.mutable_simd()->add_cpu("avx2");
  r.mutable_simd()->add_cpu("fma");
  pb::EnvReport::ThreadVariable& set = *r.add_thread_variables();
  set.set_name("OMP_NUM_THREADS");
  set.set_value("4");
  set.set_obeyed(true);
  set.set_read_by("OpenMP");
  pb::EnvReport::ThreadVariable& unset = *r.add_thread_variables();
  unset.set_name("MKL_NUM_THREADS");
  unset.set_read_by("no MKL");
  pb::EnvReport::Limits& limits = *r.mutable_limits();
  for (int cpu : {0, 1, 3}) limits.add_affinity_cpus(cpu);
  limits.set_cgroup_cpu_quota(1.5);
  limits.set_cgroup_cpu_source("/sys/fs/cgroup/cpu.max");
  limits.set_shm_total_bytes(2ull << 30);
  r.add_warnings("w1");
  const std::string text = EnvReportText(r);
  for (const char* line :
       {"  model:            Test CPU\n", "  physical cores:   unknown\n",
        "  CPU has:          avx2 fma\n", "  binary built for: none\n",
        "  OMP_NUM_THREADS:  \"4\"     read by OpenMP\n",
        "  MKL_NUM_THREADS:  unset   ignored: no MKL\n", "  affinity:         3 CPUs (0-1,3)\n",
        "  cgroup CPU quota: 1.5 cores (/sys/fs/cgroup/cpu.max)\n",
        "  /dev/shm:         unknown free of 2.0 GiB\n",
        "  memory:           unknown available of unknown\n", "Warnings\n  ! w1\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "in\n" << text;
  }
}

}  // namespace
}  // namespace parlab
