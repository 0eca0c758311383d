#pragma once
// The layout of a job's segment, and the view both sides use to find things
// in it. Offset 0 holds a SegmentHeader; after it a table of WorkerRegions
// (one per worker); then the coordinator's Doorbell and every worker's
// WorkerBoard, 64 bytes each; then, each page-aligned, every worker's request
// ring (coordinator -> worker) and response ring (worker -> coordinator); then
// the payload arena. The header describes all of it, so a worker needs only
// the segment's name and its index to find its rings, board and doorbell.
// Everything is an offset from the segment's first byte, never a pointer
// (iceoryx's relative_pointer idea), so it means the same in every process
// whatever address the segment is mapped at.
//
// Coordinator: PlanLayout() -> Segment::Create(name, layout.header.total_bytes)
//   -> SegmentView::Format(), all before starting any worker (fork+exec then
//   orders the header's plain stores before every worker's reads).
// Worker: Segment::Open(name) -> SegmentView::Attach(), which validates the
//   header (magic, version, size, every offset and size inside the segment,
//   no two regions overlapping) on a private copy, and uses only that copy,
//   so a header changed later cannot move anything out of bounds.
//
// SegmentView does not own the memory (the Segment does) and is immutable
// after construction: safe to share between threads.

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "shared/shm/arena.h"
#include "shared/shm/doorbell.h"
#include "shared/shm/ring.h"
#include "shared/shm/worker_board.h"
#include "shared/status.h"

namespace parlab {

inline constexpr uint64_t kSegmentMagic = 0x4745'5342'414c'5250;  // "PRLABSEG" little-endian
// Bump on any change to the structs below: an old worker then refuses a new
// coordinator's segment instead of misreading it. 2: the doorbell and the
// boards are described here (they were arena offsets on the worker's argv).
// 3: a ring frame is published by its header word in the data bytes, not by
// the tail counter (shared/shm/ring.cc).
inline constexpr uint32_t kLayoutVersion = 3;
inline constexpr uint32_t kMaxWorkers = 1024;
// Rings and the arena start on page boundaries: no region shares a page with
// another, and arena blocks can be page-aligned for large matrices.
inline constexpr uint64_t kRegionAlignment = 4096;

// [offset, offset + bytes) of a segment.
struct Region {
  uint64_t offset;
  uint64_t bytes;
};

struct WorkerRegions {
  Region request;   // a Ring region: coordinator produces, worker consumes
  Region response;  // a Ring region: worker produces, coordinator consumes
  Region board;     // its WorkerBoard: the worker writes, the coordinator reads
};

struct SegmentHeader {
  uint64_t magic;                // kSegmentMagic
  uint32_t version;              // kLayoutVersion
  uint32_t worker_count;         // 1..kMaxWorkers
  uint64_t total_bytes;          // the whole segment; must equal its mapped size
  uint64_t ring_capacity_bytes;  // every ring's data bytes, a power of two
  Region worker_table;           // worker_count WorkerRegions
  Region doorbell;               // the Doorbell every worker rings after answering
  Region arena;
  uint64_t creator_pid;  // for diagnostics only
};
static_assert(std::is_trivially_copyable_v<SegmentHeader>);
static_assert(std::is_trivially_copyable_v<WorkerRegions>);

struct LayoutSpec {
  uint32_t worker_count = 1;
  uint64_t ring_capacity_bytes = 64 * 1024;  // a power of two
  uint64_t arena_bytes = 0;                  // may be 0: tasks without payload
};

// A complete layout: the header and the worker table that Format writes.
struct Layout {
  SegmentHeader header{};
  std::vector<WorkerRegions> workers;
};

// Computes every offset and the segment's size for `spec`; kInvalidArgument
// naming the field when a value is out of range.
Result<Layout> PlanLayout(const LayoutSpec& spec);

// Checks a layout against a segment of `segment_bytes`; the message names the
// first thing wrong ("worker 3 response ring [..) ends past the segment ...").
Status ValidateLayout(const Layout& layout, uint64_t segment_bytes);

class SegmentView {
 public:
  // Coordinator: writes `layout` (from PlanLayout) into a fresh segment and
  // formats every ring. `base` must be page-aligned (a Segment's data() is).
  static Result<SegmentView> Format(std::byte* base, size_t bytes, const Layout& layout);
  // Worker: validates the header of an existing segment, see above.
  static Result<SegmentView> Attach(std::byte* base, size_t bytes);

  const SegmentHeader& header() const { return layout_.header; }
  uint32_t worker_count() const { return layout_.header.worker_count; }

  // A Ring view over the worker's ring; each side attaches its own.
  // kInvalidArgument if worker >= worker_count(); ring errors from Ring::Attach.
  Result<Ring> AttachRequestRing(uint32_t worker) const;
  Result<Ring> AttachResponseRing(uint32_t worker) const;
  ArenaView arena() const;
  // Live objects in the segment, constructed by Format; valid as long as the
  // mapping. kInvalidArgument if worker >= worker_count().
  Doorbell* doorbell() const;
  Result<WorkerBoard*> board(uint32_t worker) const;

  // Closes every ring (shutdown): wakes every waiter on every ring.
  void CloseAllRings() const;

  // Formats the worker's two rings afresh (empty, open) and clears its board,
  // for its replacement. Only once the worker is dead and reaped: nobody else
  // may touch them.
  Status ResetWorker(uint32_t worker) const;

 private:
  SegmentView(std::byte* base, Layout layout) : base_(base), layout_(std::move(layout)) {}
  Result<Ring> AttachRing(uint32_t worker, bool request) const;
  Status CheckIndex(uint32_t worker) const;

  std::byte* base_;
  Layout layout_;  // private copy, validated
};

}  // namespace parlab
