#include <gtest/gtest.h>

#include <vector>

#include "worker/worker.h"

namespace parlab {
namespace {

Result<WorkerOptions> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "parlab-worker");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return ParseWorkerOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(WorkerOptionsTest, ParsesEveryArgument) {
  Result<WorkerOptions> options = Parse({"--segment", "/parlab-1-ab", "--index", "3", "--doorbell",
                                         "128", "--wait", "spin", "--control-fd", "5"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->segment, "/parlab-1-ab");
  EXPECT_EQ(options->index, 3);
  EXPECT_EQ(options->doorbell_offset, 128u);
  EXPECT_EQ(options->wait, WaitPolicy::kSpin);
  EXPECT_EQ(options->control_fd, 5);
}

TEST(WorkerOptionsTest, RejectsMissingAndBadArguments) {
  EXPECT_FALSE(Parse({}).ok());
  EXPECT_FALSE(Parse({"--segment", "/x", "--index"}).ok());
  Result<WorkerOptions> bad = Parse({"--segment", "/x", "--index", "-1", "--doorbell", "0"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--index"), std::string::npos);
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--doorbell", "0", "--bogus", "1"}).ok());
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--doorbell", "0", "--wait", "nap"}).ok());
}

}  // namespace
}  // namespace parlab
