#include "shared/wire.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace parlab {
namespace {

class WireTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int fds_[2] = {-1, -1};
};

TEST_F(WireTest, FrameRoundTrips) {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(3);
  hello.mutable_hello()->set_pid(1234);
  ASSERT_TRUE(WriteFrame(fds_[1], hello).ok());
  pb::Frame got;
  ASSERT_TRUE(ReadFrame(fds_[0], "test peer", got).ok());
  EXPECT_EQ(got.hello().worker(), 3);
  EXPECT_EQ(got.hello().pid(), 1234);
}

TEST_F(WireTest, EndOfStreamIsUnavailable) {
  close(fds_[1]);
  fds_[1] = -1;
  pb::Frame got;
  EXPECT_EQ(ReadFrame(fds_[0], "test peer", got).code(), StatusCode::kUnavailable);
}

TEST_F(WireTest, OversizedLengthIsRefusedNamingThePeer) {
  const unsigned char prefix[4] = {0xff, 0xff, 0xff, 0x7f};
  ASSERT_TRUE(WriteAll(fds_[1], prefix, sizeof(prefix)).ok());
  pb::Frame got;
  const Status s = ReadFrame(fds_[0], "worker 2", got);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("worker 2"), std::string::npos);
}

TEST_F(WireTest, GarbageDoesNotParse) {
  const unsigned char bytes[] = {5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff};
  ASSERT_TRUE(WriteAll(fds_[1], bytes, sizeof(bytes)).ok());
  pb::Frame got;
  EXPECT_EQ(ReadFrame(fds_[0], "worker 1", got).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parlab
