#include "shared/platform/subprocess.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace parlab {
namespace {

TEST(SubprocessTest, ReturnsWhatTheProgramPrinted) {
  Result<std::string> out = RunSubprocess({"/bin/sh", "-c", "echo out; echo err >&2"}, 30);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->find("out\n"), std::string::npos);
  EXPECT_NE(out->find("err\n"), std::string::npos);
}

TEST(SubprocessTest, SetsAndRemovesEnvironmentVariables) {
  setenv("PARLAB_TOUR_TEST_REMOVED", "present", 1);
  ChildSpec run;
  run.argv = {"/bin/sh", "-c", "echo \"[$PARLAB_TOUR_TEST_SET][$PARLAB_TOUR_TEST_REMOVED]\""};
  run.env = {{"PARLAB_TOUR_TEST_SET", "1"}, {"PARLAB_TOUR_TEST_REMOVED", std::nullopt}};
  Result<std::string> out = RunSubprocess(run, 30);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "[1][]\n");
}

TEST(SubprocessTest, FailureNamesTheExitCodeAndLastLine) {
  Result<std::string> out = RunSubprocess({"/bin/sh", "-c", "echo first; echo why; exit 3"}, 30);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_NE(out.status().message().find("code 3"), std::string::npos);
  EXPECT_NE(out.status().message().find("why"), std::string::npos);
}

TEST(SubprocessTest, MissingProgramIsNotFound) {
  Result<std::string> out = RunSubprocess({"/no/such/program"}, 30);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
}

TEST(SubprocessTest, AProgramPastItsDeadlineIsKilled) {
  Result<std::string> out = RunSubprocess({"/bin/sleep", "30"}, 0.2);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kDeadlineExceeded);
}

TEST(SubprocessTest, PathOverridesTheProgramArgvNames) {
  ChildSpec run;
  run.argv = {"not-a-program", "-c", "echo \"$0\""};
  run.path = "/bin/sh";
  Result<std::string> out = RunSubprocess(run, 30);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "not-a-program\n");
}

TEST(SubprocessTest, AProgramNamedWithoutADirectoryIsFoundOnPath) {
  Result<std::string> out = RunSubprocess({"sh", "-c", "echo found"}, 30);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "found\n");
}

TEST(SubprocessTest, AKilledProgramNamesTheSignal) {
  Result<std::string> out = RunSubprocess({"/bin/sh", "-c", "kill -TERM $$"}, 30);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_NE(out.status().message().find("signal 15"), std::string::npos) << out.status().message();
}

TEST(SubprocessTest, LastJsonLineSkipsWarnings) {
  EXPECT_EQ(LastJsonLine("warning: x\n{\"a\": 1}\n"), "{\"a\": 1}");
  EXPECT_EQ(LastJsonLine("{\"a\": 1}\n{\"b\": 2}"), "{\"b\": 2}");
  EXPECT_EQ(LastJsonLine("{\"a\": 1}\ntrailing\n"), "{\"a\": 1}");
  EXPECT_EQ(LastJsonLine("no json\n"), "");
  EXPECT_EQ(LastJsonLine(""), "");
}

}  // namespace
}  // namespace parlab
