#pragma once
// Ring: a lock-free single-producer/single-consumer queue of variable-length
// byte frames (protobuf-encoded messages) in a region of shared memory, used
// between the coordinator and one worker (one ring per direction).
//
// Memory: a region is a RingHeader followed by `capacity_bytes` data bytes
// (a power of two). Ring is a view: it never owns or frees the region, and
// the region must outlive it. The RingHeader holds only lock-free atomics and
// integers, no pointers, so it works at any address in any process.
//
// Safety: exactly one producer and one consumer at a time, each with its own
// Ring object (usually in different processes; Attach() per side). Close()
// may be called by anyone, any time. A Ring object is not itself thread-safe.
// Nothing read from the region is trusted: a length or position that cannot
// be is an error value (kInternal), never an out-of-bounds access or a crash;
// after one, that Ring object keeps returning the same error (status()).
//
// Frames: an 8-byte header {uint32 length, uint32 tag} then the payload,
// padded to 8 bytes. A frame is always contiguous in the data bytes, so a
// consumer can parse it in place (zero copy): when a frame does not fit before
// the end of the data bytes, the producer writes a wrap marker (tag kWrap)
// and the frame starts at data offset 0. That costs up to one frame of space,
// so the largest frame is capacity/2 - 8 bytes. Past the newest frame the
// producer keeps an "empty" marker (8 more bytes of room).
//
// Protocol — a bounded SPSC ring of variable-length frames. The producer
// publishes a frame by storing its header word last (one cache line carries
// both the frame and the news of it, as the per-slot sequence numbers of
// Vyukov's bounded queue and iceoryx's chunk queues do, or Aeron's record
// length written last); the consumer polls the header word at its head and
// never reads the producer's counter, so a round trip moves one cache line
// each way, not two. Free-running byte counters for the room (Lamport's
// single-producer/single-consumer queue, "Proving the correctness of
// multiprocess programs", 1977; the consumer's counter cached by the
// producer as in Rigtorp's SPSC queue), plus an eventcount for sleeping
// (Vyukov's eventcount, as in folly::EventCount): see ring.cc for every
// atomic and the ordering it pairs with.
//
// Waiting: kSpin never enters the kernel (PAUSE loop), kBlock sleeps on a
// futex at once, kAdaptive spins (or yields) for adaptive_spin_ns then
// sleeps; its caller sets both per wait (shared/shm/adaptive_wait.h). A side only
// calls FutexWake when its peer said it sleeps, so the spin data path makes
// no system call at all.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "shared/status.h"

namespace parlab {

// Its names and the JobSpec's enum: shared/shm/wait_policy.h.
enum class WaitPolicy { kSpin, kBlock, kAdaptive };

// How long kAdaptive spins before it sleeps, until its owner says otherwise
// (set_adaptive_spin_ns): parlab's own rings are told per wait by a
// WaitLearner (shared/shm/adaptive_wait.h); this default serves the benches
// and tests. It exceeds a typical round trip (a few us) and stays well under
// a scheduler tick.
inline constexpr int64_t kDefaultAdaptiveSpinNs = 50'000;

// Lives in shared memory at the start of a ring's region. Written by
// Ring::Format before any peer attaches; afterwards only through Ring.
// Producer and consumer counters sit on separate cache lines so that the two
// sides do not invalidate each other's line on every operation; neither side
// reads the other's on the hot path (ring.cc).
struct alignas(64) RingHeader {
  uint64_t magic;                // kRingMagic
  uint64_t capacity_bytes;       // power of two; read once at Attach
  std::atomic<uint32_t> closed;  // 0 or 1; set by Close(), never cleared

  alignas(64) std::atomic<uint64_t> tail;  // bytes ever published; producer writes, for Attach
  alignas(64) std::atomic<uint64_t> head;  // bytes ever consumed; consumer writes

  alignas(64) std::atomic<uint32_t> data_seq;   // futex word the consumer sleeps on
  std::atomic<uint32_t> consumer_sleeping;      // 1 while the consumer may sleep
  alignas(64) std::atomic<uint32_t> space_seq;  // futex word the producer sleeps on
  std::atomic<uint32_t> producer_sleeping;      // 1 while the producer may sleep
};

inline constexpr uint64_t kRingMagic = 0x3147'4e49'5242'4c50;  // "PLBRING1" little-endian

// One frame, in place in the ring; valid until Consume() (the producer may
// overwrite the bytes after that).
struct FrameView {
  const std::byte* data = nullptr;
  size_t size = 0;
};

class Ring {
 public:
  static constexpr uint64_t kMinCapacityBytes = 64;
  static constexpr uint64_t kMaxCapacityBytes = uint64_t{1} << 32;  // lengths are 32-bit
  static constexpr size_t kFrameHeaderBytes = 8;

  // Bytes a region needs for a ring of `capacity_bytes`.
  static constexpr size_t RegionBytes(uint64_t capacity_bytes) {
    return sizeof(RingHeader) + capacity_bytes;
  }

  // Initialises an empty, open ring in `region` (64-byte aligned, at least
  // RegionBytes(capacity_bytes) long). Only before any peer attaches.
  static Status Format(void* region, size_t region_bytes, uint64_t capacity_bytes);

  // Validates the ring in `region` (magic, capacity, counters within
  // `region_bytes`) and returns a view over it; kFailedPrecondition naming
  // what is wrong otherwise.
  static Result<Ring> Attach(void* region, size_t region_bytes);

  Ring(Ring&&) noexcept = default;
  Ring& operator=(Ring&&) noexcept = default;
  Ring(const Ring&) = delete;  // a copy would duplicate this side's private counters
  Ring& operator=(const Ring&) = delete;

  uint64_t capacity_bytes() const { return capacity_; }
  // Largest payload TryPush accepts.
  size_t max_frame_bytes() const { return static_cast<size_t>(capacity_ / 2 - kFrameHeaderBytes); }
  void set_adaptive_spin_ns(int64_t spin_ns) { adaptive_spin_ns_ = spin_ns; }
  // kAdaptive yields the core (sched_yield) instead of PAUSE while it spins,
  // after pause_ns of PAUSE: what an oversubscribed machine wants
  // (shared/shm/adaptive_wait.h).
  void set_adaptive_yields(bool yields, int64_t pause_ns = 0) {
    adaptive_yields_ = yields;
    adaptive_pause_ns_ = pause_ns;
  }
  // OK, or the first corruption this side saw.
  const Status& status() const { return status_; }

  // --- Producer side ---
  // Copies n bytes into the ring as one frame. False when there is no room,
  // when the ring is closed, or after corruption (see status()).
  // Precondition: n <= max_frame_bytes() (checked: a larger frame could never
  // fit, so retrying would spin forever).
  bool TryPush(const void* bytes, size_t n);
  // TryPush, waiting up to timeout_ns (< 0: forever) for room. kUnavailable
  // once closed, kDeadlineExceeded on timeout, kInvalidArgument if
  // n > max_frame_bytes(), kInternal on corruption.
  Status PushWait(const void* bytes, size_t n, WaitPolicy policy, int64_t timeout_ns);
  // Zero-copy pushing, in two steps: TryReserve returns where a frame of
  // exactly n bytes goes in the ring, for the caller to write in place (a
  // message serialized straight into its slot), and Commit() publishes it.
  // The consumer sees nothing of a reservation before Commit; a second
  // TryReserve before Commit replaces the first. nullptr when TryPush would
  // return false. Precondition as TryPush's.
  std::byte* TryReserve(size_t n);
  // TryReserve, waiting for room with PushWait's policy and errors.
  Result<std::byte*> ReserveWait(size_t n, WaitPolicy policy, int64_t timeout_ns);
  // Publishes the frame reserved last and wakes a sleeping consumer.
  // Precondition: a reservation not yet committed.
  void Commit();

  // --- Consumer side ---
  // The oldest frame, in place, without removing it; nullopt when empty.
  // Peeking again before Consume() returns the same frame.
  Result<std::optional<FrameView>> TryPeek();
  // TryPeek, waiting up to timeout_ns (< 0: forever) for a frame. Frames
  // published before Close() are still delivered; then kUnavailable.
  Result<FrameView> PeekWait(WaitPolicy policy, int64_t timeout_ns);
  // Removes the frame the last successful peek returned (precondition: there
  // is one), and wakes a producer that sleeps for room.
  void Consume();

  // --- Either side, or a third party ---
  // Marks the ring closed for good and wakes both sides: a shutdown or a dead
  // peer never leaves anyone waiting.
  void Close() { CloseRegion(header_); }
  // Close() for a region that may not pass Attach (a corrupt ring must still
  // be closable). Precondition: `region` is a ring region in bounds.
  static void CloseRegion(void* region);
  bool closed() const { return header_->closed.load(std::memory_order_acquire) != 0; }

 private:
  Ring(RingHeader* header, std::byte* data, uint64_t capacity);

  Status Corrupt(std::string what);
  // Bytes a frame of payload n takes at the current tail, wrap marker
  // included (the empty marker after it is not counted).
  uint64_t PushFootprint(size_t n) const;
  bool RoomOrClosed(uint64_t needed);  // the producer's last look before sleeping
  void WakeConsumer();
  void WakeProducer();

  RingHeader* header_;
  // The 8-byte header word at data offset `pos`, read and written atomically:
  // it is what publishes a frame (ring.cc).
  uint64_t LoadHeader(uint64_t pos, int memory_order) const;
  void StoreHeader(uint64_t pos, uint64_t word, int memory_order);

  std::byte* data_;
  uint64_t capacity_;  // copied at Attach: never re-read from shared memory
  uint64_t mask_;
  int64_t adaptive_spin_ns_ = kDefaultAdaptiveSpinNs;
  bool adaptive_yields_ = false;
  int64_t adaptive_pause_ns_ = 0;
  Status status_;

  // Producer's private counters.
  uint64_t tail_ = 0;           // the truth; header_->tail is its published copy
  uint64_t reserved_tail_ = 0;  // tail_ once the reservation is committed; 0: none
  uint64_t reserved_pos_ = 0;   // data offset of the reserved frame's header
  uint64_t reserved_word_ = 0;  // its header word, stored by Commit
  uint64_t wrap_pos_ = 0;       // data offset of its wrap marker; capacity_: none
  uint64_t head_cache_ = 0;     // last head read; refreshed only when the ring looks full
  // Consumer's private counters.
  uint64_t head_ = 0;          // the truth; header_->head is its published copy
  uint64_t peeked_bytes_ = 0;  // what Consume() advances head_ by (wrap + frame)
};

}  // namespace parlab
