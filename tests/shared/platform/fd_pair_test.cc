#include "shared/platform/fd_pair.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace parlab {
namespace {

bool CloseOnExec(int fd) { return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

TEST(FdPairTest, ASocketPairCarriesBytesBothWays) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  char byte = 0;
  ASSERT_EQ(write(pair->first.get(), "a", 1), 1);
  ASSERT_EQ(read(pair->second.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'a');
  ASSERT_EQ(write(pair->second.get(), "b", 1), 1);
  ASSERT_EQ(read(pair->first.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'b');
}

TEST(FdPairTest, BothEndsCloseOnExec) {
  Result<std::pair<UniqueFd, UniqueFd>> sockets = MakeSocketPair();
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(sockets.ok() && pipe.ok());
  EXPECT_TRUE(CloseOnExec(sockets->first.get()));
  EXPECT_TRUE(CloseOnExec(sockets->second.get()));
  EXPECT_TRUE(CloseOnExec(pipe->first.get()));
  EXPECT_TRUE(CloseOnExec(pipe->second.get()));
}

TEST(FdPairTest, ASeqPacketPairKeepsMessageBoundaries) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair(SocketType::kSeqPacket);
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  ASSERT_EQ(write(pair->first.get(), "one", 3), 3);
  ASSERT_EQ(write(pair->first.get(), "two", 3), 3);
  char buffer[16];
  EXPECT_EQ(read(pair->second.get(), buffer, sizeof(buffer)), 3);
  EXPECT_EQ(read(pair->second.get(), buffer, sizeof(buffer)), 3);
}

TEST(FdPairTest, ClosingOneEndGivesTheOtherEndOfStream) {
  Result<std::pair<UniqueFd, UniqueFd>> pair = MakeSocketPair();
  ASSERT_TRUE(pair.ok());
  pair->first.Reset();
  char byte = 0;
  EXPECT_EQ(read(pair->second.get(), &byte, 1), 0);
}

TEST(FdPairTest, APipeRunsFromItsWriteEndToItsReadEnd) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  ASSERT_EQ(write(pipe->second.get(), "x", 1), 1);
  char byte = 0;
  ASSERT_EQ(read(pipe->first.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
}

}  // namespace
}  // namespace parlab
