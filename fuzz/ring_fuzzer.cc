// Fuzzes the consumer side of a Ring (shared/shm/ring.h) on a region whose
// header and data bytes come from the fuzzer, as a buggy or hostile peer
// process could leave them in shared memory. Input layout:
//   byte 0        capacity = 64 << (byte % 7)  (64 .. 4096 data bytes)
//   byte 1        flags: bit 0 keeps the fuzzer's magic and capacity instead
//                 of the formatted ones (Attach must refuse bad ones)
//   bytes 2..25   head, tail (little-endian uint64) and closed (uint64)
//   then          the data bytes (zero-padded), then "header updates": 8 bytes
//                 each, stored after each Consume() as the header word at the
//                 consumer's next place (head & (capacity - 1)), as a
//                 producer publishing more (or lying) would.
// The consumer peeks and consumes until empty or an error, reading every byte
// of every frame it is given (ASan checks they lie inside the region).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "shared/aligned_buffer.h"
#include "shared/shm/ring.h"

namespace {

uint64_t Load64(const uint8_t* p) {
  uint64_t value = 0;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

constexpr size_t kFixedBytes = 2 + 3 * 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using parlab::Ring;
  using parlab::RingHeader;
  if (size < kFixedBytes) return 0;
  const uint64_t capacity = uint64_t{64} << (data[0] % 7);
  const bool raw_header = (data[1] & 1) != 0;
  const size_t region_bytes = Ring::RegionBytes(capacity);
  parlab::AlignedBuffer region(region_bytes);
  if (!Ring::Format(region.data(), region_bytes, capacity).ok()) __builtin_trap();

  auto* header = reinterpret_cast<RingHeader*>(region.data());
  if (raw_header) {
    header->magic = Load64(data + 2) ^ parlab::kRingMagic;  // 0 keeps the magic
    header->capacity_bytes = Load64(data + 10) ^ capacity;
  }
  header->head.store(Load64(data + 2));
  header->tail.store(Load64(data + 10));
  header->closed.store(static_cast<uint32_t>(Load64(data + 18) & 1));
  size_t offset = kFixedBytes;
  const size_t data_bytes = std::min<size_t>(size - offset, capacity);
  std::memcpy(region.data() + sizeof(RingHeader), data + offset, data_bytes);
  offset += data_bytes;

  parlab::Result<Ring> ring = Ring::Attach(region.data(), region_bytes);
  if (!ring.ok()) return 0;
  volatile uint8_t sink = 0;
  for (int frames = 0; frames < 1024; ++frames) {
    parlab::Result<std::optional<parlab::FrameView>> peeked = ring->TryPeek();
    if (!peeked.ok() || !peeked->has_value()) break;
    const parlab::FrameView view = **peeked;
    for (size_t i = 0; i < view.size; ++i) sink = sink ^ static_cast<uint8_t>(view.data[i]);
    ring->Consume();
    if (offset + 8 <= size) {
      const uint64_t next = header->head.load() & (capacity - 1);  // 8-aligned, inside
      std::memcpy(region.data() + sizeof(RingHeader) + next, data + offset, 8);
      offset += 8;
    }
  }
  return 0;
}
