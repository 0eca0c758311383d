#include "coordinator/report/env_report_json.h"

#include <gtest/gtest.h>

#include <string>

#include "coordinator/report/json_output.h"

namespace parlab {
namespace {

TEST(EnvReportJsonTest, HostileStringsReadBackAsTheSameReport) {
  pb::EnvReport r;
  r.mutable_cpu()->set_model("Evil \"CPU\" \\ with\nnewline \x01 and \xff");
  r.mutable_simd()->add_cpu("avx2");
  r.mutable_simd()->add_cpu("quote\"d");
  pb::EnvReport::ThreadVariable& set = *r.add_thread_variables();
  set.set_name("OMP_NUM_THREADS");
  set.set_value("4\"}, {");
  set.set_obeyed(true);
  set.set_read_by("x");
  pb::EnvReport::ThreadVariable& unset = *r.add_thread_variables();
  unset.set_name("MKL_NUM_THREADS");
  unset.set_read_by("not used");
  pb::EnvReport::Limits& limits = *r.mutable_limits();
  limits.set_cgroup_cpu_quota(1.5);
  for (int cpu : {0, 1, 3}) limits.add_affinity_cpus(cpu);
  limits.set_shm_total_bytes(1ull << 40);
  r.add_warnings("w1");
  r.add_warnings("w\"2");
  const std::string json = EnvReportJson(r);
  EXPECT_EQ(json.find('\n'), std::string::npos);  // one line: log headers embed it

  pb::EnvReport back;
  ASSERT_TRUE(FromJson(json, back).ok()) << json;
  // The invalid byte is replaced, the rest kept as it was.
  EXPECT_EQ(back.cpu().model(), "Evil \"CPU\" \\ with\nnewline \x01 and \xef\xbf\xbd");
  EXPECT_EQ(back.simd().cpu(1), "quote\"d");
  ASSERT_EQ(back.thread_variables_size(), 2);
  EXPECT_EQ(back.thread_variables(0).value(), "4\"}, {");
  EXPECT_FALSE(back.thread_variables(1).has_value());  // unset stays unset, not ""
  EXPECT_DOUBLE_EQ(back.limits().cgroup_cpu_quota(), 1.5);
  EXPECT_EQ(back.limits().affinity_cpus_size(), 3);
  EXPECT_EQ(back.limits().shm_total_bytes(), 1ull << 40);
  EXPECT_FALSE(back.limits().has_shm_free_bytes());
  EXPECT_EQ(back.warnings(1), "w\"2");
}

TEST(EnvReportJsonTest, ThisMachineReadsBackWithItsCores) {
  const std::string json = EnvReportJson();
  pb::EnvReport back;
  ASSERT_TRUE(FromJson(json, back).ok()) << json;
  EXPECT_GE(back.limits().usable_cores(), 1);
  EXPECT_GE(back.cpu().logical_cpus(), 1);
  EXPECT_FALSE(back.build().type().empty());
}

}  // namespace
}  // namespace parlab
