#include "shared/shm/arena.h"

#include <iterator>
#include <string>

#include "shared/check.h"

namespace parlab {

Arena::Arena(uint64_t bytes) : capacity_(bytes / kArenaAlignment * kArenaAlignment) {
  if (capacity_ > 0) free_.emplace(0, capacity_);
}

Result<uint64_t> Arena::Allocate(uint64_t bytes) {
  // Zero-byte blocks would share offsets with their neighbours, and no kernel
  // needs one; refusing them keeps Free(offset) unambiguous.
  if (bytes == 0) return InvalidArgument("arena: cannot allocate 0 bytes");
  if (bytes > capacity_) {
    return ResourceExhausted("arena: " + std::to_string(bytes) +
                             " bytes requested, the arena has " + std::to_string(capacity_) +
                             "; raise the arena size");
  }
  const uint64_t size = (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
  // First fit: a job holds few live blocks (inputs and outputs of the tasks in
  // flight), so a linear walk is shorter than keeping a size index in step.
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    if (it->second < size) continue;
    const uint64_t offset = it->first;
    const uint64_t left = it->second - size;
    free_.erase(it);
    if (left > 0) free_.emplace(offset + size, left);
    allocated_.emplace(offset, size);
    in_use_ += size;
    return offset;
  }
  return ResourceExhausted("arena: " + std::to_string(bytes) +
                           " bytes requested, largest free block " +
                           std::to_string(largest_free_block()) + " of " +
                           std::to_string(capacity_) + " (" + std::to_string(in_use_) +
                           " in use); raise the arena size or "
                           "lower the tasks in flight");
}

void Arena::Free(uint64_t offset) {
  const auto it = allocated_.find(offset);
  PARLAB_CHECK(it != allocated_.end()) << "arena: Free(" << offset << ") of a block not allocated";
  uint64_t start = offset;
  uint64_t size = it->second;
  allocated_.erase(it);
  in_use_ -= size;
  // Merge with the free neighbours so that large blocks come back.
  auto next = free_.lower_bound(start);
  if (next != free_.end() && next->first == start + size) {
    size += next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      start = prev->first;
      size += prev->second;
      free_.erase(prev);
    }
  }
  free_.emplace(start, size);
}

uint64_t Arena::largest_free_block() const {
  uint64_t largest = 0;
  for (const auto& [offset, size] : free_) largest = size > largest ? size : largest;
  return largest;
}

Status ArenaView::CheckRange(uint64_t offset, uint64_t bytes) const {
  // offset + bytes could wrap around; compare without adding.
  if (offset > bytes_ || bytes > bytes_ - offset) {
    return InvalidArgument("arena range [" + std::to_string(offset) + ", +" +
                           std::to_string(bytes) + ") is outside the arena of " +
                           std::to_string(bytes_) + " bytes");
  }
  return Status::Ok();
}

}  // namespace parlab
