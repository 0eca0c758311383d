// The heartbeat thread writes Heartbeat frames with the worker's count on its
// socket until stopped, and stops promptly even with a long interval.
#include "worker/heartbeat.h"

#include <gtest/gtest.h>

#include "shared/platform/fd_pair.h"
#include "shared/platform/unique_fd.h"
#include "shared/wire.h"

namespace parlab {
namespace {

TEST(HeartbeatTest, BeatsWithTheTaskCountUntilStopped) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  UniqueFd& worker_end = pair->first;
  UniqueFd& coordinator_end = pair->second;
  std::atomic<uint64_t> done{41};
  {
    HeartbeatThread heartbeat(worker_end.get(), /*worker=*/3, /*interval_ns=*/1'000'000, done);
    pb::Frame frame;
    ASSERT_TRUE(ReadFrame(coordinator_end.get(), "worker", frame).ok());
    ASSERT_TRUE(frame.has_heartbeat());
    EXPECT_EQ(frame.heartbeat().worker(), 3);
    EXPECT_GT(frame.heartbeat().t_ns(), 0);
    done = 42;
    // Beats keep coming; one of them carries the new count.
    for (int i = 0; i < 1000 && frame.heartbeat().tasks_done() != 42; ++i) {
      ASSERT_TRUE(ReadFrame(coordinator_end.get(), "worker", frame).ok());
    }
    EXPECT_EQ(frame.heartbeat().tasks_done(), 42u);
    heartbeat.Stop();
    heartbeat.Stop();  // idempotent
  }
  worker_end.Reset();
  // After the writer is gone, whatever is left ends in end of stream.
  pb::Frame rest;
  while (ReadFrame(coordinator_end.get(), "worker", rest).ok()) {
  }
}

TEST(HeartbeatTest, StopDoesNotWaitForTheInterval) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  UniqueFd& worker_end = pair->first;
  std::atomic<uint64_t> done{0};
  // An hour between beats: Stop() returning at all shows it is woken.
  HeartbeatThread heartbeat(worker_end.get(), 0, 3'600'000'000'000, done);
  heartbeat.Stop();
}

TEST(HeartbeatTest, StopsQuietlyWhenTheCoordinatorIsGone) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  UniqueFd& worker_end = pair->first;
  UniqueFd& coordinator_end = pair->second;
  coordinator_end.Reset();
  std::atomic<uint64_t> done{0};
  HeartbeatThread heartbeat(worker_end.get(), 0, 1'000'000, done);  // its writes fail: it ends
  heartbeat.Stop();
}

}  // namespace
}  // namespace parlab
