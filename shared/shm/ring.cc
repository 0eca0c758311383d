// Ring protocol, with every atomic and the ordering it pairs with.
//
// Data (Lamport SPSC with free-running byte counters; tail - head is the
// number of published, unconsumed bytes, 0 <= tail - head <= capacity):
//   P1 producer writes frame bytes (plain stores), then
//   P2 tail.store(seq_cst)      -- release half pairs with C1: the bytes of
//                                  P1 are visible to a consumer that sees tail
//   C1 consumer tail.load(acquire)  (pairs with P2), reads the frame, then
//   C2 head.store(seq_cst)      -- release half pairs with P0: the consumer is
//                                  done reading before the producer reuses it
//   P0 producer head.load(acquire)  (pairs with C2) before overwriting space.
// Each side keeps its own counter privately and re-reads the other's only
// when the ring looks full (producer) or empty (consumer).
//
// Sleeping (an eventcount, Vyukov / folly::EventCount; Dekker's store-then-load
// on both sides). Consumer about to sleep for data:
//   W1 key = data_seq.load(seq_cst)
//   W2 consumer_sleeping.store(1, seq_cst)
//   W3 tail.load(seq_cst) and closed.load(seq_cst): data or closed -> no sleep
//   W4 FutexWait(&data_seq, key): the kernel sleeps only if data_seq == key
// Producer after P2 (a seq_cst store):
//   N1 consumer_sleeping.load(seq_cst)
//   N2 if 1: data_seq.fetch_add(1, seq_cst); FutexWake(&data_seq)
// All of W2, W3, P2, N1 are seq_cst, so in their single total order either W3
// follows P2 (the consumer sees the data and does not sleep) or N1 follows W2
// (the producer sees the flag and bumps data_seq after W1 read it, so W4
// either finds data_seq != key and returns at once, or is already asleep and
// is woken). No wake-up is lost; a stale flag only costs a spare wake.
// The producer sleeping for room is the mirror image: space_seq,
// producer_sleeping, head (C2 is the seq_cst store, N1' reads
// producer_sleeping). Close(): closed.store(seq_cst), then bumps both words
// and wakes all, so a waiter either sees closed at W3 or its W4 returns.
// seq_cst operations instead of atomic_thread_fence because ThreadSanitizer
// understands the former only; on x86 the cost is the same (one xchg).

#include "shared/shm/ring.h"

#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

#include "shared/check.h"
#include "shared/clock.h"
#include "shared/platform/cpu.h"
#include "shared/platform/futex.h"

namespace parlab {

// A header that another process maps must not contain locks or pointers.
static_assert(std::atomic<uint64_t>::is_always_lock_free);
static_assert(std::atomic<uint32_t>::is_always_lock_free);
static_assert(std::is_standard_layout_v<RingHeader>);
static_assert(sizeof(RingHeader) == 5 * 64);  // five cache lines, none shared

namespace {

constexpr uint32_t kFrameTag = 0x4652'4d31;  // "1MRF": a frame follows
constexpr uint32_t kWrapTag = 0x5752'4150;   // "PARW": skip to data offset 0
// How many PAUSEs between two looks at the clock while spinning: a clock read
// costs about as much as a dozen pauses, and 64 of them are ~1-3 us on x86.
constexpr int kSpinsPerClockRead = 64;

struct FrameHeader {
  uint32_t length;
  uint32_t tag;
};
static_assert(sizeof(FrameHeader) == Ring::kFrameHeaderBytes);

constexpr uint64_t Align8(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// Deadline arithmetic that saturates instead of overflowing.
int64_t DeadlineNs(int64_t now_ns, int64_t timeout_ns) {
  if (timeout_ns < 0 || timeout_ns > INT64_MAX - now_ns) return INT64_MAX;
  return now_ns + timeout_ns;
}

}  // namespace

Status Ring::Format(void* region, size_t region_bytes, uint64_t capacity_bytes) {
  if (!IsPowerOfTwo(capacity_bytes) || capacity_bytes < kMinCapacityBytes ||
      capacity_bytes > kMaxCapacityBytes) {
    return InvalidArgument("ring capacity must be a power of two in [64, 2^32] bytes, got " +
                           std::to_string(capacity_bytes));
  }
  if (reinterpret_cast<uintptr_t>(region) % alignof(RingHeader) != 0) {
    return InvalidArgument("ring region must be 64-byte aligned");
  }
  if (region_bytes < RegionBytes(capacity_bytes)) {
    return InvalidArgument("ring region of " + std::to_string(region_bytes) +
                           " bytes is smaller than the " +
                           std::to_string(RegionBytes(capacity_bytes)) + " it needs");
  }
  // Placement-new gives the atomics a proper lifetime; the memory is ours
  // alone until a peer attaches.
  auto* header = new (region) RingHeader{};
  header->magic = kRingMagic;
  header->capacity_bytes = capacity_bytes;
  return Status::Ok();
}

Result<Ring> Ring::Attach(void* region, size_t region_bytes) {
  if (reinterpret_cast<uintptr_t>(region) % alignof(RingHeader) != 0 ||
      region_bytes < sizeof(RingHeader)) {
    return FailedPrecondition("ring region is misaligned or smaller than its header");
  }
  auto* header = static_cast<RingHeader*>(region);
  if (header->magic != kRingMagic) {
    return FailedPrecondition("ring header has a bad magic number (not formatted?)");
  }
  const uint64_t capacity = header->capacity_bytes;  // read once; we keep our copy
  if (!IsPowerOfTwo(capacity) || capacity < kMinCapacityBytes || capacity > kMaxCapacityBytes ||
      RegionBytes(capacity) > region_bytes) {
    return FailedPrecondition("ring capacity " + std::to_string(capacity) +
                              " is not a power of two in [64, 2^32] that fits its region of " +
                              std::to_string(region_bytes) + " bytes");
  }
  const uint64_t head = header->head.load(std::memory_order_acquire);
  const uint64_t tail = header->tail.load(std::memory_order_acquire);
  if (tail - head > capacity || head % 8 != 0 || tail % 8 != 0) {
    return FailedPrecondition("ring counters are inconsistent: head " + std::to_string(head) +
                              ", tail " + std::to_string(tail) + ", capacity " +
                              std::to_string(capacity));
  }
  Ring ring(header, static_cast<std::byte*>(region) + sizeof(RingHeader), capacity);
  ring.head_ = head;
  ring.head_cache_ = head;
  ring.tail_ = tail;
  ring.tail_cache_ = tail;
  return ring;
}

Ring::Ring(RingHeader* header, std::byte* data, uint64_t capacity)
    : header_(header), data_(data), capacity_(capacity), mask_(capacity - 1) {}

Status Ring::Corrupt(std::string what) {
  if (status_.ok()) status_ = Internal("ring is corrupt: " + what);
  return status_;
}

uint64_t Ring::PushFootprint(size_t n) const {
  const uint64_t frame = Align8(kFrameHeaderBytes + n);
  const uint64_t to_end = capacity_ - (tail_ & mask_);
  return to_end < frame ? to_end + frame : frame;
}

std::byte* Ring::TryReserve(size_t n) {
  PARLAB_CHECK(n <= max_frame_bytes())
      << "frame of " << n << " bytes exceeds the ring's maximum " << max_frame_bytes();
  if (!status_.ok() || header_->closed.load(std::memory_order_relaxed) != 0) return nullptr;
  const uint64_t footprint = PushFootprint(n);
  if (tail_ - head_cache_ + footprint > capacity_) {
    head_cache_ = header_->head.load(std::memory_order_acquire);  // P0, pairs with C2
    // Unsigned: a head beyond our tail shows up as a huge difference too.
    if (tail_ - head_cache_ > capacity_ || head_cache_ % 8 != 0) {
      static_cast<void>(Corrupt("consumer head " + std::to_string(head_cache_) + " is not within " +
                                std::to_string(capacity_) + " bytes behind tail " +
                                std::to_string(tail_)));
      return nullptr;
    }
    if (tail_ - head_cache_ + footprint > capacity_) return nullptr;
  }
  // Everything from tail_ on is free and unpublished: the consumer reads none
  // of it before P2 in Commit, so the marker and the header go in now.
  const uint64_t frame = Align8(kFrameHeaderBytes + n);
  uint64_t pos = tail_ & mask_;
  if (footprint != frame) {  // does not fit before the end: wrap marker, then offset 0
    const FrameHeader wrap{0, kWrapTag};
    std::memcpy(data_ + pos, &wrap, sizeof(wrap));
    pos = 0;
  }
  const FrameHeader header{static_cast<uint32_t>(n), kFrameTag};
  std::memcpy(data_ + pos, &header, sizeof(header));
  reserved_tail_ = tail_ + footprint;
  return data_ + pos + kFrameHeaderBytes;  // P1: the caller's plain stores
}

void Ring::Commit() {
  PARLAB_CHECK(reserved_tail_ != 0) << "Ring::Commit() without a reservation";
  tail_ = reserved_tail_;
  reserved_tail_ = 0;
  header_->tail.store(tail_, std::memory_order_seq_cst);  // P2
  WakeConsumer();
}

bool Ring::TryPush(const void* bytes, size_t n) {
  std::byte* slot = TryReserve(n);
  if (slot == nullptr) return false;
  if (n > 0) std::memcpy(slot, bytes, n);  // P1
  Commit();
  return true;
}

void Ring::WakeConsumer() {
  if (header_->consumer_sleeping.load(std::memory_order_seq_cst) != 0) {  // N1
    header_->data_seq.fetch_add(1, std::memory_order_seq_cst);            // N2
    FutexWake(&header_->data_seq, 1);
  }
}

void Ring::WakeProducer() {
  if (header_->producer_sleeping.load(std::memory_order_seq_cst) != 0) {
    header_->space_seq.fetch_add(1, std::memory_order_seq_cst);
    FutexWake(&header_->space_seq, 1);
  }
}

Result<std::optional<FrameView>> Ring::TryPeek() {
  if (!status_.ok()) return status_;
  uint64_t available = tail_cache_ - head_;
  if (available == 0) {
    tail_cache_ = header_->tail.load(std::memory_order_acquire);  // C1, pairs with P2
    available = tail_cache_ - head_;
    if (available > capacity_ || tail_cache_ % 8 != 0) {
      return Corrupt("producer tail " + std::to_string(tail_cache_) + " is not within " +
                     std::to_string(capacity_) + " bytes ahead of head " + std::to_string(head_));
    }
    if (available == 0) return std::optional<FrameView>();
  }
  uint64_t pos = head_ & mask_;
  uint64_t skipped = 0;
  FrameHeader header;  // copied out first: the bytes we check are the bytes we use
  std::memcpy(&header, data_ + pos, sizeof(header));
  if (header.tag == kWrapTag) {
    skipped = capacity_ - pos;
    // The marker is published with the frame after it, never alone.
    if (skipped + kFrameHeaderBytes > available) {
      return Corrupt("wrap marker at byte " + std::to_string(pos) + " with only " +
                     std::to_string(available) + " bytes published");
    }
    pos = 0;
    std::memcpy(&header, data_, sizeof(header));
  }
  if (header.tag != kFrameTag) {
    return Corrupt("bad frame tag " + std::to_string(header.tag) + " at byte " +
                   std::to_string(pos));
  }
  const uint64_t frame = Align8(kFrameHeaderBytes + uint64_t{header.length});
  if (header.length > max_frame_bytes() || skipped + frame > available || pos + frame > capacity_) {
    return Corrupt("frame at byte " + std::to_string(pos) + " claims " +
                   std::to_string(header.length) + " bytes; " + std::to_string(available) +
                   " bytes published, capacity " + std::to_string(capacity_));
  }
  peeked_bytes_ = skipped + frame;
  return std::optional<FrameView>(FrameView{data_ + pos + kFrameHeaderBytes, header.length});
}

void Ring::Consume() {
  PARLAB_CHECK(peeked_bytes_ != 0) << "Ring::Consume() without a frame from TryPeek/PeekWait";
  head_ += peeked_bytes_;
  peeked_bytes_ = 0;
  header_->head.store(head_, std::memory_order_seq_cst);  // C2
  WakeProducer();
}

void Ring::CloseRegion(void* region) {
  auto* header = static_cast<RingHeader*>(region);
  header->closed.store(1, std::memory_order_seq_cst);
  header->data_seq.fetch_add(1, std::memory_order_seq_cst);
  header->space_seq.fetch_add(1, std::memory_order_seq_cst);
  FutexWake(&header->data_seq, INT_MAX);
  FutexWake(&header->space_seq, INT_MAX);
}

namespace {

// The wait loop both sides share. `attempt()` returns nullopt to keep waiting
// or the final Status; `must_not_sleep()` is the W3 re-check, made after the
// caller's `sleeping` flag is set (W2). `seq` is the futex word (W1, W4).
template <typename Attempt, typename MustNotSleep>
Status WaitLoop(WaitPolicy policy, int64_t timeout_ns, int64_t adaptive_spin_ns,
                bool adaptive_yields, std::atomic<uint32_t>* seq, std::atomic<uint32_t>* sleeping,
                Attempt attempt, MustNotSleep must_not_sleep, const char* waiting_for) {
  const int64_t start_ns = NowNs();
  const int64_t deadline_ns = DeadlineNs(start_ns, timeout_ns);
  int64_t spin_until_ns = start_ns;  // kBlock: do not spin
  if (policy == WaitPolicy::kSpin) spin_until_ns = deadline_ns;
  if (policy == WaitPolicy::kAdaptive) spin_until_ns = DeadlineNs(start_ns, adaptive_spin_ns);
  // A yield is a system call, as long as a clock read: read it every time.
  const bool yields = policy == WaitPolicy::kAdaptive && adaptive_yields;
  int spins = 0;
  int64_t now_ns = start_ns;
  for (;;) {
    if (std::optional<Status> done = attempt()) return *std::move(done);
    if (++spins % kSpinsPerClockRead == 0 || policy == WaitPolicy::kBlock || yields) {
      now_ns = NowNs();
    }
    if (now_ns >= deadline_ns) {
      return DeadlineExceeded(std::string("ring: no ") + waiting_for + " within " +
                              std::to_string(timeout_ns) + " ns");
    }
    if (now_ns < spin_until_ns) {
      if (yields) {
        YieldCpu();
      } else {
        CpuRelax();
      }
      continue;
    }
    const uint32_t key = seq->load(std::memory_order_seq_cst);  // W1
    sleeping->store(1, std::memory_order_seq_cst);              // W2
    if (!must_not_sleep()) {                                    // W3
      const int64_t left_ns = deadline_ns == INT64_MAX ? -1 : deadline_ns - now_ns;
      FutexWait(seq, key, left_ns);  // W4; every outcome loops and re-checks
    }
    sleeping->store(0, std::memory_order_relaxed);
    now_ns = NowNs();
  }
}

}  // namespace

Result<FrameView> Ring::PeekWait(WaitPolicy policy, int64_t timeout_ns) {
  // A frame already there is the hot path: no clock read, no wait loop.
  PARLAB_ASSIGN_OR_RETURN(std::optional<FrameView> ready, TryPeek());
  if (ready.has_value()) return *ready;
  FrameView result;
  auto attempt = [&]() -> std::optional<Status> {
    PARLAB_ASSIGN_OR_RETURN(std::optional<FrameView> frame, TryPeek());
    if (frame.has_value()) {
      result = *frame;
      return Status::Ok();
    }
    if (closed()) return Unavailable("ring closed while waiting for a frame");
    return std::nullopt;
  };
  auto must_not_sleep = [&] {
    return header_->tail.load(std::memory_order_seq_cst) != head_ ||
           header_->closed.load(std::memory_order_seq_cst) != 0;
  };
  PARLAB_RETURN_IF_ERROR(WaitLoop(policy, timeout_ns, adaptive_spin_ns_, adaptive_yields_,
                                  &header_->data_seq, &header_->consumer_sleeping, attempt,
                                  must_not_sleep, "frame"));
  return result;
}

Status Ring::PushWait(const void* bytes, size_t n, WaitPolicy policy, int64_t timeout_ns) {
  PARLAB_ASSIGN_OR_RETURN(std::byte * slot, ReserveWait(n, policy, timeout_ns));
  if (n > 0) std::memcpy(slot, bytes, n);  // P1
  Commit();
  return Status::Ok();
}

Result<std::byte*> Ring::ReserveWait(size_t n, WaitPolicy policy, int64_t timeout_ns) {
  if (n > max_frame_bytes()) {
    return InvalidArgument("frame of " + std::to_string(n) + " bytes exceeds the ring's maximum " +
                           std::to_string(max_frame_bytes()) + "; enlarge the ring");
  }
  // Room already there is the hot path: no clock read, no wait loop.
  std::byte* slot = TryReserve(n);
  if (slot != nullptr) return slot;
  auto attempt = [&]() -> std::optional<Status> {
    slot = TryReserve(n);
    if (slot != nullptr) return Status::Ok();
    if (!status_.ok()) return status_;
    if (closed()) return Unavailable("ring closed while waiting for room");
    return std::nullopt;
  };
  auto must_not_sleep = [&] { return RoomOrClosed(PushFootprint(n)); };
  PARLAB_RETURN_IF_ERROR(WaitLoop(policy, timeout_ns, adaptive_spin_ns_, adaptive_yields_,
                                  &header_->space_seq, &header_->producer_sleeping, attempt,
                                  must_not_sleep, "room for a frame"));
  return slot;
}

// The producer's W3: true when it must not sleep (room appeared, or closed).
bool Ring::RoomOrClosed(uint64_t footprint) {
  const uint64_t head = header_->head.load(std::memory_order_seq_cst);
  return tail_ - head + footprint <= capacity_ || tail_ - head > capacity_ ||
         header_->closed.load(std::memory_order_seq_cst) != 0;
}

}  // namespace parlab
