#pragma once
// The payload arena: the part of a job's segment where task inputs and outputs
// live (matrices are written there once; only offsets travel in messages).
//
// Two classes, one per side:
//  - Arena (coordinator only) decides which byte ranges are in use. Its
//    bookkeeping lives in the coordinator's own heap, not in the segment, so a
//    misbehaving worker cannot corrupt it. Offsets are relative to the arena's
//    first byte; every block starts at a multiple of 64 (a cache line, and
//    enough for any Eigen/SIMD alignment). Freed blocks are reused (first
//    fit, neighbours coalesced), so buffers recycle across tasks.
//    Not thread-safe: one owner (the scheduler) allocates and frees.
//  - ArenaView (workers, and the coordinator when it reads results) turns an
//    offset that arrived in a message into memory, after checking that the
//    whole range lies inside the arena. Immutable; thread-safe.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>

#include "shared/status.h"

namespace parlab {

inline constexpr uint64_t kArenaAlignment = 64;

class Arena {
 public:
  // Manages offsets [0, bytes). bytes is rounded down to kArenaAlignment.
  explicit Arena(uint64_t bytes);

  // A block of at least `bytes` (> 0) at a 64-byte aligned offset, or
  // kResourceExhausted naming the request and the largest free block.
  Result<uint64_t> Allocate(uint64_t bytes);
  // Returns a block. Precondition: `offset` came from Allocate() and was not
  // freed since (checked: a double free is a bug and aborts).
  void Free(uint64_t offset);

  uint64_t capacity_bytes() const { return capacity_; }
  uint64_t bytes_in_use() const { return in_use_; }
  uint64_t largest_free_block() const;

 private:
  uint64_t capacity_;
  uint64_t in_use_ = 0;
  std::map<uint64_t, uint64_t> free_;       // offset -> size; never two adjacent
  std::map<uint64_t, uint64_t> allocated_;  // offset -> size
};

class ArenaView {
 public:
  ArenaView() = default;
  // The arena's bytes in this process's mapping; not owned.
  ArenaView(std::byte* base, uint64_t bytes) : base_(base), bytes_(bytes) {}

  // OK when [offset, offset + bytes) lies inside the arena (overflow-safe);
  // otherwise kInvalidArgument naming the range and the arena's size.
  Status CheckRange(uint64_t offset, uint64_t bytes) const;

  // CheckRange, plus alignment for T, then a pointer to `count` Ts at offset:
  // what a worker does before building an Eigen::Map on a message's offset.
  template <typename T>
  Result<T*> At(uint64_t offset, uint64_t count) const {
    if (count > UINT64_MAX / sizeof(T)) return InvalidArgument("arena: element count overflows");
    PARLAB_RETURN_IF_ERROR(CheckRange(offset, count * sizeof(T)));
    if (offset % alignof(T) != 0) return InvalidArgument("arena: offset is misaligned");
    return reinterpret_cast<T*>(base_ + offset);
  }

  std::byte* base() const { return base_; }
  uint64_t size_bytes() const { return bytes_; }

 private:
  std::byte* base_ = nullptr;
  uint64_t bytes_ = 0;
};

}  // namespace parlab
