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
  Result<WorkerOptions> options = Parse({"--segment", "/parlab-1-ab", "--index", "3", "--wait",
                                         "spin", "--control-fd", "5", "--heartbeat-ms", "250"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->segment, "/parlab-1-ab");
  EXPECT_EQ(options->index, 3);
  EXPECT_EQ(options->wait, WaitPolicy::kSpin);
  EXPECT_EQ(options->control_fd, 5);
  EXPECT_EQ(options->heartbeat_ms, 250);
  EXPECT_FALSE(options->uds);
}

// What --wait adaptive weighs comes from the coordinator, which measured it.
TEST(WorkerOptionsTest, ParsesTheAdaptiveWaitSetting) {
  Result<WorkerOptions> options =
      Parse({"--segment", "/parlab-1-ab", "--index", "0", "--wait", "adaptive", "--waiters", "3",
             "--cores", "2", "--wake-ns", "41000"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->wait_setting.waiters, 3);
  EXPECT_EQ(options->wait_setting.cores, 2);
  EXPECT_EQ(options->wait_setting.wake_cost_ns, 41000);
  EXPECT_TRUE(options->wait_setting.oversubscribed());
  EXPECT_FALSE(Parse({"--segment", "/p", "--index", "0", "--wake-ns", "-5"}).ok());
}

TEST(WorkerOptionsTest, ParsesTheUdsTransport) {
  Result<WorkerOptions> options =
      Parse({"--transport", "uds", "--index", "1", "--data-fd", "4", "--control-fd", "3"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_TRUE(options->uds);
  EXPECT_EQ(options->index, 1);
  EXPECT_EQ(options->data_fd, 4);
  // uds needs its data socket.
  EXPECT_FALSE(Parse({"--transport", "uds", "--index", "1"}).ok());
}

TEST(WorkerOptionsTest, TakesTheJobsPluginOnEitherTransport) {
  Result<WorkerOptions> shm =
      Parse({"--segment", "/x", "--index", "0", "--plugin", "/opt/k/libmine.so"});
  ASSERT_TRUE(shm.ok()) << shm.status().message();
  EXPECT_EQ(shm->plugin, "/opt/k/libmine.so");
  Result<WorkerOptions> uds =
      Parse({"--transport", "uds", "--index", "0", "--data-fd", "4", "--plugin", "/p.so"});
  ASSERT_TRUE(uds.ok()) << uds.status().message();
  EXPECT_EQ(uds->plugin, "/p.so");
  EXPECT_EQ(Parse({"--segment", "/x", "--index", "0"})->plugin, "");
}

TEST(WorkerOptionsTest, RejectsMissingAndBadArguments) {
  EXPECT_FALSE(Parse({}).ok());
  EXPECT_FALSE(Parse({"--segment", "/x", "--index"}).ok());
  EXPECT_FALSE(Parse({"--index", "1"}).ok());  // no segment
  Result<WorkerOptions> bad = Parse({"--segment", "/x", "--index", "-1"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--index"), std::string::npos);
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--bogus", "1"}).ok());
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--wait", "nap"}).ok());
}

TEST(WorkerOptionsTest, TheSegmentHeaderNotArgvPlacesTheDoorbellAndBoard) {
  // Layout version 2 describes them in the header; the old flags are gone.
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--doorbell", "0"}).ok());
  EXPECT_FALSE(Parse({"--segment", "/x", "--index", "1", "--board", "64"}).ok());
}

}  // namespace
}  // namespace parlab
