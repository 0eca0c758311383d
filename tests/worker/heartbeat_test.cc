// The heartbeat thread writes Heartbeat frames with the worker's count on its
// socket until stopped, stops promptly even with a long interval, and ends by
// itself, without a SIGPIPE, when the coordinator is gone.
#include "worker/heartbeat.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "shared/platform/fd_pair.h"
#include "shared/platform/unique_fd.h"
#include "shared/wire.h"

namespace parlab {
namespace {

// The threads this process runs now: an ended std::thread leaves its task at
// once, joined or not.
int ThreadsOfThisProcess() {
  int threads = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    ++threads;
  }
  return threads;
}

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
  // What is left are whole beats of this worker, then end of stream: Stop()
  // never cuts a frame in half.
  pb::Frame rest;
  Status read;
  while ((read = ReadFrame(coordinator_end.get(), "worker", rest)).ok()) {
    ASSERT_TRUE(rest.has_heartbeat());
    EXPECT_EQ(rest.heartbeat().worker(), 3);
    EXPECT_EQ(rest.heartbeat().tasks_done(), 42u);
  }
  EXPECT_EQ(read.code(), StatusCode::kUnavailable) << read.ToString();
}

TEST(HeartbeatTest, StopDoesNotWaitForTheInterval) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  UniqueFd& worker_end = pair->first;
  UniqueFd& coordinator_end = pair->second;
  std::atomic<uint64_t> done{0};
  // An hour between beats: Stop() returns only because it wakes the thread
  // (if it waited, ctest's TIMEOUT fails the test), and no beat was due.
  HeartbeatThread heartbeat(worker_end.get(), 0, 3'600'000'000'000, done);
  heartbeat.Stop();
  worker_end.Reset();
  pb::Frame frame;
  const Status read = ReadFrame(coordinator_end.get(), "worker", frame);
  EXPECT_EQ(read.code(), StatusCode::kUnavailable)
      << "a beat before the interval: " << frame.ShortDebugString();
}

TEST(HeartbeatTest, StopsQuietlyWhenTheCoordinatorIsGone) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  UniqueFd& worker_end = pair->first;
  UniqueFd& coordinator_end = pair->second;
  coordinator_end.Reset();
  std::atomic<uint64_t> done{0};
  const int before = ThreadsOfThisProcess();
  HeartbeatThread heartbeat(worker_end.get(), 0, 1'000'000, done);
  // Its first write fails (EPIPE, not a SIGPIPE that would kill this test)
  // and its thread ends by itself, before any Stop(); if it never did, this
  // wait would hang until ctest's TIMEOUT.
  while (ThreadsOfThisProcess() > before) std::this_thread::yield();
  EXPECT_EQ(ThreadsOfThisProcess(), before);
  heartbeat.Stop();
}

}  // namespace
}  // namespace parlab
