#pragma once
// Frames on a byte stream (a worker's control socket, the uds transport): a
// 4-byte little-endian length, then a serialized pb::Frame. Nothing read is
// trusted: a length above kMaxFrameBytes or bytes that do not parse are an
// error naming the peer, never an allocation of whatever the peer claimed.
// Functions on a file descriptor block; they are safe from any thread that
// owns the descriptor.

#include <google/protobuf/arena.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

inline constexpr size_t kFrameLengthBytes = 4;
// Control frames are small; uds task frames carry only offsets and sizes
// (their payload bytes follow the frame, see the uds transport).
inline constexpr uint32_t kMaxFrameBytes = 16u << 20;
// The most payload bytes one task may carry each way over the uds transport
// (the coordinator refuses larger jobs up front, the worker refuses larger
// frames): beyond it copying through a socket measures nothing shm does not
// show better, and it bounds what a corrupt frame can make a worker allocate.
inline constexpr uint64_t kMaxUdsPayloadBytes = uint64_t{1} << 30;

// Appends length + serialized frame (by a FrameWriter) to `out`.
void AppendFrame(const pb::Frame& frame, std::string& out);

// The length a 4-byte prefix announces, or an error if it exceeds the limit.
Result<uint32_t> DecodeFrameLength(const void* prefix, std::string_view peer);

// Parses `bytes` into `frame`; the error names the peer.
Status ParseFrame(const void* bytes, size_t size, std::string_view peer, pb::Frame& frame);

// Parses frames into one pb::Frame that it keeps in a protobuf arena and
// reuses: each Parse clears the body the last frame had (its arrays keep
// their room) and merges the new bytes into it, so frame after frame of one
// kind (task frames, result frames) allocates nothing and resets nothing;
// a task frame in the shape the coordinator writes, or a result frame in
// the shape a worker writes, is read by hand, any other shape by protobuf
// (wire_test and the wire fuzzer hold the two to the same frame).
// A frame of another kind, one with unknown fields, a failed parse, or an
// arena grown past its first block start over on a reset arena (a frame
// parsed into a plain reused pb::Frame would free and allocate its oneof
// body every time). The frame Parse returns lives until the next Parse or
// the parser's end. One owner; not thread-safe.
class FrameParser {
 public:
  // block_bytes: the arena's first block, kept across frames; a frame that
  // needs more gets more, freed again by the next Parse.
  explicit FrameParser(size_t block_bytes = 64 * 1024);
  FrameParser(const FrameParser&) = delete;
  FrameParser& operator=(const FrameParser&) = delete;

  // As ParseFrame.
  Result<const pb::Frame*> Parse(const void* bytes, size_t size, std::string_view peer);

 private:
  // The frame, made afresh on a reset arena.
  pb::Frame* Restart();

  std::unique_ptr<char[]> block_;
  size_t block_bytes_;
  google::protobuf::Arena arena_;
  pb::Frame* frame_ = nullptr;  // on arena_; nullptr: Restart before use
};

// Writes all of `bytes` (retrying on EINTR and short writes). A socket whose
// peer has closed is kUnavailable, never a SIGPIPE.
Status WriteAll(int fd, const void* bytes, size_t size);
// Reads exactly `size` bytes; kUnavailable on end of stream (the peer left).
Status ReadExactly(int fd, void* bytes, size_t size);

Status WriteFrame(int fd, const pb::Frame& frame);
Status ReadFrame(int fd, std::string_view peer, pb::Frame& frame);

}  // namespace parlab
