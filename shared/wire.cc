#include "shared/wire.h"

#include <google/protobuf/io/coded_stream.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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
    : block_(new char[block_bytes]),
      block_bytes_(block_bytes),
      arena_(FirstBlock(block_.get(), block_bytes)) {}

pb::Frame* FrameParser::Restart() {
  arena_.Reset();
  frame_ = google::protobuf::Arena::CreateMessage<pb::Frame>(&arena_);
  return frame_;
}

Result<const pb::Frame*> FrameParser::Parse(const void* bytes, size_t size, std::string_view peer) {
  pb::Frame* frame = frame_;
  // Clearing the body keeps its arrays' room: parsing the next frame of the
  // same kind then allocates nothing (what Reset + a new message cost was a
  // quarter of a noop task's wire time, bench/wire_bench.cc dispatch/1).
  // Only when the bytes begin with that body's tag, as every frame we
  // serialize does: merged into a kept body, bytes without one (a peer's
  // garbage that parses, say) would come out with the last frame's body,
  // emptied, where a fresh parse has none.
  static_assert(pb::Frame::kTaskFrameFieldNumber < 16 && pb::Frame::kResultFrameFieldNumber < 16,
                "one-byte tags");
  constexpr uint8_t kLengthDelimited = 2;
  constexpr uint8_t kTaskFrameTag = (pb::Frame::kTaskFrameFieldNumber << 3) | kLengthDelimited;
  constexpr uint8_t kResultFrameTag = (pb::Frame::kResultFrameFieldNumber << 3) | kLengthDelimited;
  const uint8_t first_byte = size > 0 ? *static_cast<const uint8_t*>(bytes) : 0;
  if (frame != nullptr && frame->body_case() == pb::Frame::kTaskFrame &&
      first_byte == kTaskFrameTag) {
    frame->mutable_task_frame()->Clear();
  } else if (frame != nullptr && frame->body_case() == pb::Frame::kResultFrame &&
             first_byte == kResultFrameTag) {
    frame->mutable_result_frame()->Clear();
  } else {
    frame = Restart();  // anything else is rare: start over
  }
  // A body of another kind would leave the old one's memory in the arena:
  // bounded by starting over once the arena outgrows its first block.
  if (arena_.SpaceAllocated() > block_bytes_) frame = Restart();
  google::protobuf::io::CodedInputStream input(static_cast<const uint8_t*>(bytes),
                                               static_cast<int>(std::min<size_t>(size, INT32_MAX)));
  if (size > static_cast<size_t>(INT32_MAX) || !frame->MergeFromCodedStream(&input) ||
      !input.ConsumedEntireMessage()) {
    frame_ = nullptr;  // a half-merged frame is not reused
    return InvalidArgument(std::string(peer) + " sent a frame of " + std::to_string(size) +
                           " bytes that does not parse");
  }
  // Unknown fields would pile up across merges: such a frame is not reused.
  if (!frame->GetReflection()->GetUnknownFields(*frame).empty()) frame_ = nullptr;
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
