// The heartbeat thread writes Heartbeat frames with the worker's count on its
// socket until stopped, and stops promptly even with a long interval.
#include "worker/heartbeat.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shared/wire.h"

namespace parlab {
namespace {

TEST(HeartbeatTest, BeatsWithTheTaskCountUntilStopped) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::atomic<uint64_t> done{41};
  {
    HeartbeatThread heartbeat(fds[0], /*worker=*/3, /*interval_ns=*/1'000'000, done);
    pb::Frame frame;
    ASSERT_TRUE(ReadFrame(fds[1], "worker", frame).ok());
    ASSERT_TRUE(frame.has_heartbeat());
    EXPECT_EQ(frame.heartbeat().worker(), 3);
    EXPECT_GT(frame.heartbeat().t_ns(), 0);
    done = 42;
    // Beats keep coming; one of them carries the new count.
    for (int i = 0; i < 1000 && frame.heartbeat().tasks_done() != 42; ++i) {
      ASSERT_TRUE(ReadFrame(fds[1], "worker", frame).ok());
    }
    EXPECT_EQ(frame.heartbeat().tasks_done(), 42u);
    heartbeat.Stop();
    heartbeat.Stop();  // idempotent
  }
  close(fds[0]);
  // After the writer is gone, whatever is left ends in end of stream.
  pb::Frame rest;
  while (ReadFrame(fds[1], "worker", rest).ok()) {
  }
  close(fds[1]);
}

TEST(HeartbeatTest, StopDoesNotWaitForTheInterval) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::atomic<uint64_t> done{0};
  // An hour between beats: Stop() returning at all shows it is woken.
  HeartbeatThread heartbeat(fds[0], 0, 3'600'000'000'000, done);
  heartbeat.Stop();
  close(fds[0]);
  close(fds[1]);
}

TEST(HeartbeatTest, StopsQuietlyWhenTheCoordinatorIsGone) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  close(fds[1]);
  std::atomic<uint64_t> done{0};
  HeartbeatThread heartbeat(fds[0], 0, 1'000'000, done);  // its writes fail: it ends
  heartbeat.Stop();
  close(fds[0]);
}

}  // namespace
}  // namespace parlab
