// Ring protocol, with every atomic and the ordering it pairs with.
//
// Data. Free-running byte counters: tail (producer) and head (consumer);
// 0 <= tail - head <= capacity - 8. Each frame starts with an 8-byte header
// word {length, tag}; the word at data offset head & mask is what the
// consumer looks at, and it always holds one of
//   kEmptyTag   nothing published here yet
//   kFrameTag   a frame, published
//   kWrapTag    skip to data offset 0, where a published frame starts.
// Producer, one frame at tail (the empty marker lies there already):
//   P1 writes the payload (plain stores), and the next frame's place, right
//      after this one (8 bytes of room kept free for it), gets the empty
//      marker; when wrapping, the frame's header at offset 0 too
//   P2 header word at tail.store(seq_cst) -- {length, kFrameTag}, or the
//      wrap marker; its release half pairs with C1: everything of P1 is
//      visible to a consumer that sees the word
//   P3 tail.store(release)  -- for Attach and observers; nobody waits on it
// Consumer:
//   C1 header word at head.load(acquire) (pairs with P2); empty: nothing yet.
//      Frame: reads it (after a wrap marker, at offset 0), then
//   C2 head.store(seq_cst)  -- release half pairs with P0: the consumer is
//                              done reading before the producer reuses it
//   P0 producer head.load(acquire) (pairs with C2) before overwriting space;
//      it keeps the last head it read and re-reads only when the ring looks
//      full.
// The empty marker of P1 is why stale bytes (an old frame's header, or
// payload that happens to look like one) are never taken for a new frame:
// the consumer reaches a place only through the frame before it, whose P2
// came after the marker was written there. So a round trip costs the cache
// line of the frame each way; the consumer never touches the tail line and
// the producer the head line only when the ring looks full.
//
// Sleeping (an eventcount, Vyukov / folly::EventCount; Dekker's store-then-load
// on both sides). Consumer about to sleep for data:
//   W1 key = data_seq.load(seq_cst)
//   W2 consumer_sleeping.store(1, seq_cst)
//   W3 header word at head.load(seq_cst) and closed.load(seq_cst): a frame or
//      closed -> no sleep
//   W4 FutexWait(&data_seq, key): the kernel sleeps only if data_seq == key
// Producer after P2 (a seq_cst store):
//   N1 consumer_sleeping.load(seq_cst)
//   N2 if 1: data_seq.fetch_add(1, seq_cst); FutexWake(&data_seq)
// All of W2, W3, P2, N1 are seq_cst, so in their single total order either W3
// follows P2 (the consumer sees the frame and does not sleep) or N1 follows W2
// (the producer sees the flag and bumps data_seq after W1 read it, so W4
// either finds data_seq != key and returns at once, or is already asleep and
// is woken). No wake-up is lost; a stale flag only costs a spare wake.
// The producer sleeping for room is the mirror image: space_seq,
// producer_sleeping, head (C2 is the seq_cst store, N1' reads
// producer_sleeping). Close(): closed.store(seq_cst), then bumps both words
// and wakes all, so a waiter either sees closed at W3 or its W4 returns.
// seq_cst operations instead of atomic_thread_fence because ThreadSanitizer
// understands the former only; on x86 the cost is the same (one xchg). The
// header words live among the data bytes, so they are read and written with
// the __atomic builtins (std::atomic_ref is C++20), which ThreadSanitizer
// also understands.

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
constexpr uint32_t kEmptyTag = 0x5954'504d;  // "MPTY": nothing published here yet
// How many PAUSEs between two looks at the clock while spinning: a clock read
// costs about as much as a dozen pauses, and 64 of them are ~1-3 us on x86
// (~0.5 us with the ring polled in between on the 2-vCPU EPYC VM of issue 13),
// fine enough for kAdaptive's spin budget of many wake-ups.
constexpr int kSpinsPerClockRead = 64;
// kSpin looks at the clock only for its deadline (the caller's idle check,
// 100 ms for a worker): 16 times as seldom.
constexpr int kSpinsPerDeadlineCheck = 1024;

// A header word: the length in its low half, the tag in its high half (so
// in memory, little-endian, {uint32 length, uint32 tag}).
constexpr uint64_t HeaderWord(uint32_t length, uint32_t tag) {
  return uint64_t{length} | uint64_t{tag} << 32;
}
constexpr uint32_t LengthOf(uint64_t word) { return static_cast<uint32_t>(word); }
constexpr uint32_t TagOf(uint64_t word) { return static_cast<uint32_t>(word >> 32); }
constexpr uint64_t kEmptyWord = HeaderWord(0, kEmptyTag);
static_assert(sizeof(uint64_t) == Ring::kFrameHeaderBytes);
static_assert(__ORDER_LITTLE_ENDIAN__ == __BYTE_ORDER__, "the header word's layout assumes it");

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
  // The consumer's first look is at offset 0: whatever was there before (a
  // reused region) must not pass for a frame.
  __atomic_store_n(reinterpret_cast<uint64_t*>(header + 1), kEmptyWord, __ATOMIC_RELAXED);
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
  return ring;
}

Ring::Ring(RingHeader* header, std::byte* data, uint64_t capacity)
    : header_(header), data_(data), capacity_(capacity), mask_(capacity - 1) {}

// `pos` is 8-aligned and below capacity_ - 8 wherever these are called, so
// the word is aligned and inside the data bytes.
uint64_t Ring::LoadHeader(uint64_t pos, int memory_order) const {
  return __atomic_load_n(reinterpret_cast<const uint64_t*>(data_ + pos), memory_order);
}

void Ring::StoreHeader(uint64_t pos, uint64_t word, int memory_order) {
  __atomic_store_n(reinterpret_cast<uint64_t*>(data_ + pos), word, memory_order);
}

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
  // The frame, and 8 bytes after it for the next frame's empty marker.
  const uint64_t needed = PushFootprint(n) + kFrameHeaderBytes;
  if (tail_ - head_cache_ + needed > capacity_) {
    head_cache_ = header_->head.load(std::memory_order_acquire);  // P0, pairs with C2
    // Unsigned: a head beyond our tail shows up as a huge difference too.
    if (tail_ - head_cache_ > capacity_ || head_cache_ % 8 != 0) {
      static_cast<void>(Corrupt("consumer head " + std::to_string(head_cache_) + " is not within " +
                                std::to_string(capacity_) + " bytes behind tail " +
                                std::to_string(tail_)));
      return nullptr;
    }
    if (tail_ - head_cache_ + needed > capacity_) return nullptr;
  }
  // Everything from tail_ on is ours: the consumer reads nothing past the
  // header word at tail_ (the empty marker) before P2 in Commit. That word
  // itself is Commit's to write: the consumer may be polling it.
  const uint64_t footprint = PushFootprint(n);
  const uint64_t frame = Align8(kFrameHeaderBytes + n);
  uint64_t pos = tail_ & mask_;
  wrap_pos_ = capacity_;
  if (footprint != frame) {  // does not fit before the end: wrap marker, then offset 0
    wrap_pos_ = pos;
    pos = 0;
  }
  reserved_pos_ = pos;
  reserved_word_ = HeaderWord(static_cast<uint32_t>(n), kFrameTag);
  reserved_tail_ = tail_ + footprint;
  // P1: the next frame's place says "nothing yet" before this one is published.
  StoreHeader((pos + frame) & mask_, kEmptyWord, __ATOMIC_RELAXED);
  return data_ + pos + kFrameHeaderBytes;  // P1: the caller's plain stores
}

void Ring::Commit() {
  PARLAB_CHECK(reserved_tail_ != 0) << "Ring::Commit() without a reservation";
  tail_ = reserved_tail_;
  reserved_tail_ = 0;
  if (wrap_pos_ == capacity_) {
    StoreHeader(reserved_pos_, reserved_word_, __ATOMIC_SEQ_CST);  // P2
  } else {
    StoreHeader(reserved_pos_, reserved_word_, __ATOMIC_RELAXED);       // P1: offset 0, unpolled
    StoreHeader(wrap_pos_, HeaderWord(0, kWrapTag), __ATOMIC_SEQ_CST);  // P2
  }
  header_->tail.store(tail_, std::memory_order_release);  // P3
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
  uint64_t pos = head_ & mask_;
  uint64_t skipped = 0;
  // Copied out once: the word we check is the word we use.
  uint64_t word = LoadHeader(pos, __ATOMIC_ACQUIRE);  // C1, pairs with P2
  if (TagOf(word) == kEmptyTag) return std::optional<FrameView>();
  if (TagOf(word) == kWrapTag) {
    skipped = capacity_ - pos;
    pos = 0;
    word = LoadHeader(0, __ATOMIC_RELAXED);  // ordered by the marker's P2 and C1
  }
  if (TagOf(word) != kFrameTag) {
    return Corrupt("bad frame tag " + std::to_string(TagOf(word)) + " at byte " +
                   std::to_string(pos));
  }
  const uint32_t length = LengthOf(word);
  const uint64_t frame = Align8(kFrameHeaderBytes + uint64_t{length});
  // The frame and the marker after it lie inside the data bytes, and within
  // what the producer may have written ahead of us.
  if (length > max_frame_bytes() || pos + frame > capacity_ ||
      skipped + frame + kFrameHeaderBytes > capacity_) {
    return Corrupt("frame at byte " + std::to_string(pos) + " claims " + std::to_string(length) +
                   " bytes" + (skipped > 0 ? " after a wrap marker" : "") + "; capacity " +
                   std::to_string(capacity_));
  }
  peeked_bytes_ = skipped + frame;
  return std::optional<FrameView>(FrameView{data_ + pos + kFrameHeaderBytes, length});
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
                bool adaptive_yields, int64_t adaptive_pause_ns, std::atomic<uint32_t>* seq,
                std::atomic<uint32_t>* sleeping, Attempt attempt, MustNotSleep must_not_sleep,
                const char* waiting_for) {
  // A yield is a system call, as long as a clock read: read it every time.
  // A side told to yield after a pause PAUSEs first, as a spinner does.
  const bool yields_after_pause = policy == WaitPolicy::kAdaptive && adaptive_yields;
  bool yields = yields_after_pause && adaptive_pause_ns <= 0;
  // A side that spins on PAUSE looks at the clock once every stretch of
  // spins, the first time too: on a spin round trip the frame mostly comes
  // within the first stretch, and then the wait reads no clock at all (a
  // read is ~10-20 ns of the ~100 ns the raw peer needs). The deadline and
  // the spin budget count from that first look, so they end up to one
  // stretch late: nothing against a time-out of milliseconds or a budget of
  // many wake-ups. kBlock and a kAdaptive told not to spin (both sleep at
  // once) and yields read it every time.
  bool pauses = policy == WaitPolicy::kSpin ||
                (policy == WaitPolicy::kAdaptive && adaptive_spin_ns > 0 && !yields);
  const int spins_per_read =
      policy == WaitPolicy::kSpin ? kSpinsPerDeadlineCheck : kSpinsPerClockRead;
  bool started = false;  // the first clock read fixed the deadline and the budget
  int64_t deadline_ns = INT64_MAX;
  int64_t spin_until_ns = INT64_MAX;
  int64_t yield_from_ns = INT64_MAX;
  int spins = 0;
  for (;;) {
    if (std::optional<Status> done = attempt()) return *std::move(done);
    if (pauses && ++spins % spins_per_read != 0) {
      CpuRelax();
      continue;
    }
    const int64_t now_ns = NowNsUnordered();  // a wait's own interval
    if (!started) {
      started = true;
      deadline_ns = DeadlineNs(now_ns, timeout_ns);
      spin_until_ns = now_ns;  // kBlock: do not spin
      if (policy == WaitPolicy::kSpin) spin_until_ns = deadline_ns;
      if (policy == WaitPolicy::kAdaptive) spin_until_ns = DeadlineNs(now_ns, adaptive_spin_ns);
      if (yields_after_pause) yield_from_ns = DeadlineNs(now_ns, adaptive_pause_ns);
    }
    if (now_ns >= deadline_ns) {
      return DeadlineExceeded(std::string("ring: no ") + waiting_for + " within " +
                              std::to_string(timeout_ns) + " ns");
    }
    if (now_ns < spin_until_ns) {
      if (!yields && now_ns >= yield_from_ns) {  // the pause is over: yield, reading the clock
        yields = true;
        pauses = false;
      }
      if (yields) {
        YieldCpu();
      } else {
        CpuRelax();
      }
      continue;
    }
    pauses = false;  // the spin is over: from now on every try sleeps, and reads the clock
    const uint32_t key = seq->load(std::memory_order_seq_cst);  // W1
    sleeping->store(1, std::memory_order_seq_cst);              // W2
    if (!must_not_sleep()) {                                    // W3
      const int64_t left_ns = deadline_ns == INT64_MAX ? -1 : deadline_ns - now_ns;
      FutexWait(seq, key, left_ns);  // W4; every outcome loops and re-checks
    }
    sleeping->store(0, std::memory_order_relaxed);
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
  auto must_not_sleep = [&] {  // W3
    return TagOf(LoadHeader(head_ & mask_, __ATOMIC_SEQ_CST)) != kEmptyTag ||
           header_->closed.load(std::memory_order_seq_cst) != 0;
  };
  PARLAB_RETURN_IF_ERROR(WaitLoop(policy, timeout_ns, adaptive_spin_ns_, adaptive_yields_,
                                  adaptive_pause_ns_, &header_->data_seq,
                                  &header_->consumer_sleeping, attempt, must_not_sleep, "frame"));
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
  auto must_not_sleep = [&] { return RoomOrClosed(PushFootprint(n) + kFrameHeaderBytes); };
  PARLAB_RETURN_IF_ERROR(WaitLoop(policy, timeout_ns, adaptive_spin_ns_, adaptive_yields_,
                                  adaptive_pause_ns_, &header_->space_seq,
                                  &header_->producer_sleeping, attempt, must_not_sleep,
                                  "room for a frame"));
  return slot;
}

// The producer's W3: true when it must not sleep (room for `needed` bytes
// appeared, or closed).
bool Ring::RoomOrClosed(uint64_t needed) {
  const uint64_t head = header_->head.load(std::memory_order_seq_cst);
  return tail_ - head + needed <= capacity_ || tail_ - head > capacity_ ||
         header_->closed.load(std::memory_order_seq_cst) != 0;
}

}  // namespace parlab
