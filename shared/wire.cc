#include "shared/wire.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace parlab {

void AppendFrame(const pb::Frame& frame, std::string& out) {
  const size_t size = frame.ByteSizeLong();
  const auto length = static_cast<uint32_t>(size);
  const size_t start = out.size();
  out.resize(start + kFrameLengthBytes + size);
  auto* prefix = reinterpret_cast<unsigned char*>(out.data() + start);
  for (size_t i = 0; i < kFrameLengthBytes; ++i) {
    prefix[i] = static_cast<unsigned char>(length >> (8 * i));
  }
  frame.SerializeWithCachedSizesToArray(prefix + kFrameLengthBytes);
}

Result<uint32_t> DecodeFrameLength(const void* prefix, std::string_view peer) {
  const auto* bytes = static_cast<const unsigned char*>(prefix);
  uint32_t length = 0;
  for (size_t i = 0; i < kFrameLengthBytes; ++i) length |= uint32_t{bytes[i]} << (8 * i);
  if (length > kMaxFrameBytes) {
    return InvalidArgument(std::string(peer) + " sent a frame of " + std::to_string(length) +
                           " bytes, above the limit of " + std::to_string(kMaxFrameBytes));
  }
  return length;
}

Status ParseFrame(const void* bytes, size_t size, std::string_view peer, pb::Frame& frame) {
  if (size > static_cast<size_t>(INT32_MAX) ||
      !frame.ParseFromArray(bytes, static_cast<int>(size))) {
    return InvalidArgument(std::string(peer) + " sent a frame of " + std::to_string(size) +
                           " bytes that does not parse");
  }
  return Status::Ok();
}

namespace {

google::protobuf::ArenaOptions FirstBlock(char* block, size_t bytes) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = bytes;
  return options;
}

}  // namespace

FrameParser::FrameParser(size_t block_bytes)
    : block_(new char[block_bytes]), arena_(FirstBlock(block_.get(), block_bytes)) {}

Result<const pb::Frame*> FrameParser::Parse(const void* bytes, size_t size, std::string_view peer) {
  arena_.Reset();
  auto* frame = google::protobuf::Arena::CreateMessage<pb::Frame>(&arena_);
  PARLAB_RETURN_IF_ERROR(ParseFrame(bytes, size, peer, *frame));
  return frame;
}

namespace {

// A socket whose peer is gone must make this an error, not a SIGPIPE that
// kills the writer: a worker's heartbeat thread or its last Error frame must
// not take the worker down when the coordinator has left. MSG_NOSIGNAL does
// that per call; files and pipes (ENOTSOCK) take a plain write.
ssize_t WriteSome(int fd, const char* p, size_t size) {
  const ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
  if (n < 0 && errno == ENOTSOCK) return write(fd, p, size);
  return n;
}

}  // namespace

Status WriteAll(int fd, const void* bytes, size_t size) {
  const auto* p = static_cast<const char*>(bytes);
  while (size > 0) {
    const ssize_t n = WriteSome(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable(std::string("write failed: ") + std::strerror(errno));
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status ReadExactly(int fd, void* bytes, size_t size) {
  auto* p = static_cast<char*>(bytes);
  while (size > 0) {
    const ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable(std::string("read failed: ") + std::strerror(errno));
    if (n == 0) return Unavailable("end of stream: the peer closed the connection");
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status WriteFrame(int fd, const pb::Frame& frame) {
  std::string bytes;
  AppendFrame(frame, bytes);
  return WriteAll(fd, bytes.data(), bytes.size());
}

Status ReadFrame(int fd, std::string_view peer, pb::Frame& frame) {
  unsigned char prefix[kFrameLengthBytes];
  PARLAB_RETURN_IF_ERROR(ReadExactly(fd, prefix, sizeof(prefix)));
  PARLAB_ASSIGN_OR_RETURN(uint32_t length, DecodeFrameLength(prefix, peer));
  std::vector<char> body(length);
  PARLAB_RETURN_IF_ERROR(ReadExactly(fd, body.data(), body.size()));
  return ParseFrame(body.data(), body.size(), peer, frame);
}

}  // namespace parlab
