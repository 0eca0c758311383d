#include "coordinator/report/json_output.h"

#include <gtest/gtest.h>

#include "proto/report.pb.h"

namespace parlab {
namespace {

TEST(JsonOutputTest, PrintsEveryFieldByItsProtoName) {
  pb::TimeitReport report;
  report.set_workload("matmul n=10");
  report.set_loops(20);
  const std::string json = ToJson(report);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("workload":"matmul n=10")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("loops":"20")"), std::string::npos) << json;  // int64: a string
  EXPECT_NE(json.find(R"("best_s":0)"), std::string::npos) << json;    // zeros printed too
}

TEST(JsonOutputTest, InvalidUtf8IsReplacedNotDropped) {
  pb::EnvReport report;
  report.mutable_cpu()->set_model("Xeon \xff\xfe (from /proc)");
  report.add_warnings("cut \xe2\x80");
  const std::string json = ToJson(report);
  pb::EnvReport back;
  ASSERT_TRUE(FromJson(json, back).ok()) << json;
  EXPECT_EQ(back.cpu().model(), "Xeon \xef\xbf\xbd\xef\xbf\xbd (from /proc)");
  EXPECT_EQ(back.warnings(0), "cut \xef\xbf\xbd\xef\xbf\xbd");
  // The message printed is left as it was.
  EXPECT_EQ(report.cpu().model(), "Xeon \xff\xfe (from /proc)");
}

TEST(JsonOutputTest, FromJsonRefusesAFieldTheSchemaLacks) {
  pb::TimeitReport report;
  EXPECT_TRUE(FromJson(R"({"workload":"x","loops":"3"})", report).ok());
  EXPECT_EQ(report.loops(), 3);
  const Status unknown = FromJson(R"({"workload":"x","made_up":1})", report);
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("TimeitReport"), std::string::npos) << unknown.message();
  EXPECT_FALSE(FromJson("[1, 2]", report).ok());
}

}  // namespace
}  // namespace parlab
