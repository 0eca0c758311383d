#include "coordinator/report/env_report_json.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "coordinator/report/json_output.h"

namespace parlab {
namespace {

TEST(EnvReportJsonTest, HostileStringsReadBackAsTheSameReport) {
  EnvReport r;
  r.cpu_model = "Evil \"CPU\" \\ with\nnewline \x01 and \xff";
  r.cpu_simd = {"avx2", "quote\"d"};
  r.thread_variables.push_back({"OMP_NUM_THREADS", std::string("4\"}, {"), true, "x"});
  r.thread_variables.push_back({"MKL_NUM_THREADS", std::nullopt, false, "not used"});
  r.cgroup_cpu_quota = 1.5;
  r.affinity_cpus = {0, 1, 3};
  r.shm_total_bytes = 1ull << 40;
  r.warnings = {"w1", "w\"2"};
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
