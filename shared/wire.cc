#include "shared/wire.h"

#include <google/protobuf/io/coded_stream.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "shared/frame_writer.h"

namespace parlab {

void AppendFrame(const pb::Frame& frame, std::string& out) {
  FrameWriter writer;
  const std::string_view bytes = writer.Write(frame);
  const auto length = static_cast<uint32_t>(bytes.size());
  char prefix[kFrameLengthBytes];
  for (size_t i = 0; i < kFrameLengthBytes; ++i) prefix[i] = static_cast<char>(length >> (8 * i));
  out.append(prefix, kFrameLengthBytes).append(bytes);
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

namespace {

static_assert(pb::Frame::kTaskFrameFieldNumber < 16 && pb::Frame::kResultFrameFieldNumber < 16,
              "one-byte tags");
constexpr uint8_t kVarint = 0;
constexpr uint8_t kFixed64 = 1;
constexpr uint8_t kLengthDelimited = 2;
constexpr uint8_t kTaskFrameTag = (pb::Frame::kTaskFrameFieldNumber << 3) | kLengthDelimited;
constexpr uint8_t kResultFrameTag = (pb::Frame::kResultFrameFieldNumber << 3) | kLengthDelimited;

// One varint at `p`, before `end`, into `value`: false at the end of the
// bytes, or for one of ten bytes whose last has more than the 64th bit
// (protobuf decides what those are).
bool ReadVarint(const uint8_t*& p, const uint8_t* end, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const uint8_t byte = *p++;
    if (shift == 63 && byte > 1) return false;
    value |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80u) == 0) return true;
  }
  return false;
}

// The body a frame of `size` bytes holds when it is one task or result
// frame and nothing else — a tag, a varint length, then exactly that many
// bytes — as every frame we serialize is; nullopt otherwise.
struct Body {
  const uint8_t* bytes;
  int size;
};
std::optional<Body> SoleBody(const uint8_t* bytes, size_t size) {
  if (size < 2 || size > static_cast<size_t>(INT32_MAX)) return std::nullopt;
  const uint8_t* body = bytes + 1;
  const uint8_t* end = bytes + size;
  uint64_t length = 0;
  // A length is at most 5 varint bytes.
  if (!ReadVarint(body, end, length) || body - (bytes + 1) > 5 ||
      length != static_cast<uint64_t>(end - body)) {
    return std::nullopt;
  }
  return Body{body, static_cast<int>(length)};
}

// What a varint on the wire holds, as protobuf reads it.
struct AsIs {  // uint64
  uint64_t operator()(uint64_t value) const { return value; }
};
struct Low32Bits {  // int32 and enums
  int32_t operator()(uint64_t value) const { return static_cast<int32_t>(value); }
};
struct ZigZag {  // sint64
  int64_t operator()(uint64_t value) const {
    return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
  }
};

// A packed array of varints, its tag read: its length, then each value
// `decode`d into `values`; false for anything protobuf might read otherwise.
// (Counting the values first to grow `values` once cost more than it saved.)
template <typename T, typename Decode>
bool ReadPackedVarints(const uint8_t*& p, const uint8_t* end,
                       google::protobuf::RepeatedField<T>& values, Decode decode) {
  uint64_t bytes = 0;
  if (!ReadVarint(p, end, bytes) || bytes > static_cast<uint64_t>(end - p)) return false;
  for (const uint8_t* stop = p + bytes; p < stop;) {
    uint64_t value = 0;
    if (!ReadVarint(p, stop, value)) return false;
    values.Add(decode(value));
  }
  return true;
}

// A TaskFrame as the coordinator writes one — constants, packed ids, fault
// and fault_index, each once at most, in field order, nothing else — read
// straight into `tasks`; false for anything else, which protobuf reads
// instead (from scratch: what was read here is cleared). Where protobuf
// would read a value differently than it was written (a uint32 written as
// more, a negative enum), that is "anything else" too.
bool ReadPlainTaskFrame(const uint8_t* p, const uint8_t* end, pb::TaskFrame& tasks) {
  using T = pb::TaskFrame;
  tasks.Clear();  // keeps the arrays' room; drops unknown fields a merge left
  uint64_t constants = 0, fault = 0, fault_index = 0;
  int last_field = 0;
  while (p < end) {
    const uint8_t tag = *p++;
    const int field = tag >> 3;
    if ((tag & 0x80u) != 0 || field <= last_field) return false;
    last_field = field;
    uint64_t value = 0;
    if (tag == (T::kIdsFieldNumber << 3 | kLengthDelimited)) {
      if (!ReadPackedVarints(p, end, *tasks.mutable_ids(), AsIs())) return false;
      continue;
    }
    if ((tag & 7u) != kVarint || !ReadVarint(p, end, value)) return false;
    switch (field) {
      case T::kConstantsFieldNumber:
        constants = value;
        break;
      case T::kFaultFieldNumber:
        fault = value;
        break;
      case T::kFaultIndexFieldNumber:
        fault_index = value;
        break;
      default:
        return false;
    }
  }
  if (constants > UINT32_MAX || fault > INT32_MAX || fault_index > UINT32_MAX) return false;
  tasks.set_constants(static_cast<uint32_t>(constants));
  tasks.set_fault(static_cast<pb::FaultAction>(fault));
  tasks.set_fault_index(static_cast<uint32_t>(fault_index));
  return true;
}

// A packed array of doubles, its tag read: copied as they lie (the wire is
// little-endian, as FrameWriter asserts).
bool ReadPackedDoubles(const uint8_t*& p, const uint8_t* end,
                       google::protobuf::RepeatedField<double>& values) {
  uint64_t bytes = 0;
  if (!ReadVarint(p, end, bytes) || bytes > static_cast<uint64_t>(end - p) ||
      bytes % sizeof(double) != 0) {
    return false;
  }
  const int count = static_cast<int>(bytes / sizeof(double));
  values.Resize(count, 0.0);
  if (count > 0) std::memcpy(values.mutable_data(), p, bytes);
  p += bytes;
  return true;
}

// A ResultFrame as a worker writes one — its scalars and packed arrays, each
// once at most, in field order; no failures, no command outcomes, nothing
// unknown — read straight into `answers`; false for anything else, which
// protobuf reads instead, as ReadPlainTaskFrame. An int32 or an enum keeps
// the low 32 bits of its varint, as protobuf's parser keeps them (a negative
// one is sign-extended to ten bytes; wire_test holds the two to the same).
// The coordinator takes one of these per round trip: protobuf's generic
// parse of a noop's cost ~33 ns (bench/wire_bench.cc parse_result_frame/1).
bool ReadPlainResultFrame(const uint8_t* p, const uint8_t* end, pb::ResultFrame& answers) {
  using R = pb::ResultFrame;
  answers.Clear();  // keeps the arrays' room; drops unknown fields a merge left
  uint64_t last_field = 0;
  while (p < end) {
    uint64_t tag = 0;
    if (!ReadVarint(p, end, tag)) return false;
    const uint64_t field = tag >> 3;
    const uint64_t type = tag & 7u;
    if (field <= last_field) return false;
    last_field = field;
    uint64_t value = 0;
    if (type == kLengthDelimited) {
      bool read = false;
      switch (field) {
        case R::kIdsFieldNumber:
          read = ReadPackedVarints(p, end, *answers.mutable_ids(), AsIs());
          break;
        case R::kStatusesFieldNumber:
          read = ReadPackedVarints(p, end, *answers.mutable_statuses(), Low32Bits());
          break;
        case R::kChecksumsFieldNumber:
          read = ReadPackedDoubles(p, end, *answers.mutable_checksums());
          break;
        case R::kFlopsFieldNumber:
          read = ReadPackedDoubles(p, end, *answers.mutable_flops());
          break;
        case R::kBytesFieldNumber:
          read = ReadPackedDoubles(p, end, *answers.mutable_bytes());
          break;
        case R::kComputeStartAfterNsFieldNumber:
          read = ReadPackedVarints(p, end, *answers.mutable_compute_start_after_ns(), ZigZag());
          break;
        case R::kComputeNsFieldNumber:
          read = ReadPackedVarints(p, end, *answers.mutable_compute_ns(), AsIs());
          break;
        default:  // failures, command outcomes, anything unknown
          break;
      }
      if (!read) return false;
      continue;
    }
    if (field == R::kTDequeuedNsFieldNumber && type == kFixed64) {
      if (end - p < 8) return false;
      uint64_t bits = 0;
      std::memcpy(&bits, p, sizeof(bits));  // little-endian, as above
      p += 8;
      answers.set_t_dequeued_ns(static_cast<int64_t>(bits));
      continue;
    }
    if (type != kVarint || !ReadVarint(p, end, value)) return false;
    switch (field) {
      case R::kWorkerFieldNumber:
        answers.set_worker(Low32Bits()(value));
        break;
      case R::kDecodedAfterNsFieldNumber:
        answers.set_decoded_after_ns(value);
        break;
      case R::kResultEnqueuedAfterNsFieldNumber:
        answers.set_result_enqueued_after_ns(value);
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

Result<const pb::Frame*> FrameParser::Parse(const void* bytes, size_t size, std::string_view peer) {
  pb::Frame* frame = frame_;
  const auto* data = static_cast<const uint8_t*>(bytes);
  const uint8_t first_byte = size > 0 ? data[0] : 0;
  // The hot path: a frame of the kind parsed last (task frames in a worker,
  // result frames in the coordinator) that is that body alone. The body is
  // parsed in place of the old one (Parse clears it first, which keeps its
  // arrays' room and drops any unknown fields), so frame after frame
  // allocates nothing, and skips what merging the whole frame through a
  // CodedInputStream cost: its buffer set-up and the reflection that looks
  // for the frame's unknown fields (~2/3 of a noop task frame's parse,
  // bench/wire_bench.cc decode_task_frame/1). A task frame as the
  // coordinator writes it is read by hand even so (ReadPlainTaskFrame: a
  // noop's 18 → 8 ns; ~10 ns of a worker's round trip on mpi), and so is a
  // result frame as a worker writes it (ReadPlainResultFrame).
  google::protobuf::MessageLite* body = nullptr;
  if (frame != nullptr && frame->body_case() == pb::Frame::kTaskFrame &&
      first_byte == kTaskFrameTag) {
    body = frame->mutable_task_frame();
  } else if (frame != nullptr && frame->body_case() == pb::Frame::kResultFrame &&
             first_byte == kResultFrameTag) {
    body = frame->mutable_result_frame();
  }
  if (body != nullptr && arena_.SpaceAllocated() <= block_bytes_) {
    if (std::optional<Body> sole = SoleBody(data, size)) {
      if (first_byte == kTaskFrameTag &&
          ReadPlainTaskFrame(sole->bytes, sole->bytes + sole->size, *frame->mutable_task_frame())) {
        return frame;
      }
      if (first_byte == kResultFrameTag &&
          ReadPlainResultFrame(sole->bytes, sole->bytes + sole->size,
                               *frame->mutable_result_frame())) {
        return frame;
      }
      if (!body->ParsePartialFromArray(sole->bytes, sole->size)) {
        frame_ = nullptr;  // a half-parsed frame is not reused
        return InvalidArgument(std::string(peer) + " sent a frame of " + std::to_string(size) +
                               " bytes that does not parse");
      }
      return frame;
    }
  }
  // Anything else: merged into a kept body of the same kind, or into a
  // fresh frame. Clearing the body keeps its arrays' room (what Reset + a
  // new message cost was a quarter of a noop task's wire time,
  // bench/wire_bench.cc dispatch/1). Only when the bytes begin with that
  // body's tag: merged into a kept body, bytes without one (a peer's
  // garbage that parses, say) would come out with the last frame's body,
  // emptied, where a fresh parse has none.
  if (body != nullptr) {
    body->Clear();
  } else {
    frame = Restart();  // anything else is rare: start over
  }
  // A body of another kind would leave the old one's memory in the arena:
  // bounded by starting over once the arena outgrows its first block.
  if (arena_.SpaceAllocated() > block_bytes_) frame = Restart();
  google::protobuf::io::CodedInputStream input(data,
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
