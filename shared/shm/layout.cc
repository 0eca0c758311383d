#include "shared/shm/layout.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <utility>

namespace parlab {

namespace {

constexpr uint64_t AlignUp(uint64_t n, uint64_t alignment) {
  return (n + alignment - 1) / alignment * alignment;
}

std::string Describe(const Region& r) {
  return "[" + std::to_string(r.offset) + ", +" + std::to_string(r.bytes) + ")";
}

// A named region, for the overlap check.
struct Named {
  Region region;
  std::string name;
};

Status CheckRegion(const Named& r, uint64_t segment_bytes, uint64_t alignment) {
  if (r.region.offset % alignment != 0) {
    return FailedPrecondition("segment header: " + r.name + " " + Describe(r.region) +
                              " is not aligned to " + std::to_string(alignment));
  }
  if (r.region.offset > segment_bytes || r.region.bytes > segment_bytes - r.region.offset) {
    return FailedPrecondition("segment header: " + r.name + " " + Describe(r.region) +
                              " ends past the segment (" + std::to_string(segment_bytes) +
                              " bytes)");
  }
  return Status::Ok();
}

}  // namespace

Result<Layout> PlanLayout(const LayoutSpec& spec) {
  if (spec.worker_count < 1 || spec.worker_count > kMaxWorkers) {
    return InvalidArgument("layout: workers must be 1.." + std::to_string(kMaxWorkers) + ", got " +
                           std::to_string(spec.worker_count));
  }
  const uint64_t capacity = spec.ring_capacity_bytes;
  if (capacity < Ring::kMinCapacityBytes || capacity > Ring::kMaxCapacityBytes ||
      (capacity & (capacity - 1)) != 0) {
    return InvalidArgument("layout: ring capacity must be a power of two in [64, 2^32], got " +
                           std::to_string(capacity));
  }
  if (spec.arena_bytes > (uint64_t{1} << 48)) {
    return InvalidArgument("layout: arena of " + std::to_string(spec.arena_bytes) +
                           " bytes is beyond any machine");
  }
  Layout layout;
  SegmentHeader& h = layout.header;
  h.magic = kSegmentMagic;
  h.version = kLayoutVersion;
  h.worker_count = spec.worker_count;
  h.ring_capacity_bytes = capacity;
  h.worker_table = {AlignUp(sizeof(SegmentHeader), 64),
                    uint64_t{spec.worker_count} * sizeof(WorkerRegions)};
  h.creator_pid = static_cast<uint64_t>(getpid());
  // The doorbell and the boards share the pages after the table: each is a
  // cache line of its own (alignas(64)), so a worker writing its board does
  // not disturb the coordinator's doorbell or another worker's board.
  uint64_t next = AlignUp(h.worker_table.offset + h.worker_table.bytes, kArenaAlignment);
  h.doorbell = {next, sizeof(Doorbell)};
  next = AlignUp(next + sizeof(Doorbell), kArenaAlignment);
  layout.workers.resize(spec.worker_count);
  for (WorkerRegions& w : layout.workers) {
    w.board = {next, sizeof(WorkerBoard)};
    next = AlignUp(next + sizeof(WorkerBoard), kArenaAlignment);
  }
  next = AlignUp(next, kRegionAlignment);
  const uint64_t ring_bytes = Ring::RegionBytes(capacity);
  for (WorkerRegions& w : layout.workers) {
    w.request = {next, ring_bytes};
    next = AlignUp(next + ring_bytes, kRegionAlignment);
    w.response = {next, ring_bytes};
    next = AlignUp(next + ring_bytes, kRegionAlignment);
  }
  h.arena = {next, AlignUp(spec.arena_bytes, kArenaAlignment)};
  h.total_bytes = AlignUp(next + h.arena.bytes, kRegionAlignment);
  return layout;
}

Status ValidateLayout(const Layout& layout, uint64_t segment_bytes) {
  const SegmentHeader& h = layout.header;
  if (h.magic != kSegmentMagic) {
    return FailedPrecondition("segment header: bad magic number; not a parlab segment");
  }
  if (h.version != kLayoutVersion) {
    return FailedPrecondition("segment header: layout version " + std::to_string(h.version) +
                              ", this build understands " + std::to_string(kLayoutVersion) +
                              "; run the coordinator and workers from the same build");
  }
  if (h.total_bytes != segment_bytes) {
    return FailedPrecondition("segment header: total size " + std::to_string(h.total_bytes) +
                              " differs from the mapped size " + std::to_string(segment_bytes));
  }
  if (h.worker_count < 1 || h.worker_count > kMaxWorkers ||
      layout.workers.size() != h.worker_count) {
    return FailedPrecondition("segment header: worker count " + std::to_string(h.worker_count) +
                              " is not in 1.." + std::to_string(kMaxWorkers));
  }
  const uint64_t capacity = h.ring_capacity_bytes;
  if (capacity < Ring::kMinCapacityBytes || capacity > Ring::kMaxCapacityBytes ||
      (capacity & (capacity - 1)) != 0) {
    return FailedPrecondition("segment header: ring capacity " + std::to_string(capacity) +
                              " is not a power of two in [64, 2^32]");
  }
  if (h.worker_table.bytes != uint64_t{h.worker_count} * sizeof(WorkerRegions)) {
    return FailedPrecondition("segment header: worker table of " +
                              std::to_string(h.worker_table.bytes) + " bytes does not hold " +
                              std::to_string(h.worker_count) + " workers");
  }
  if (h.doorbell.bytes != sizeof(Doorbell)) {
    return FailedPrecondition("segment header: doorbell " + Describe(h.doorbell) + " is not " +
                              std::to_string(sizeof(Doorbell)) + " bytes");
  }
  std::vector<Named> regions;
  regions.push_back({{0, sizeof(SegmentHeader)}, "header"});
  regions.push_back({h.worker_table, "worker table"});
  regions.push_back({h.doorbell, "doorbell"});
  regions.push_back({h.arena, "arena"});
  for (uint32_t i = 0; i < h.worker_count; ++i) {
    const Region& board = layout.workers[i].board;
    std::string name = "worker " + std::to_string(i) + " board";
    if (board.bytes != sizeof(WorkerBoard)) {
      return FailedPrecondition("segment header: " + name + " " + Describe(board) + " is not " +
                                std::to_string(sizeof(WorkerBoard)) + " bytes");
    }
    regions.push_back({board, std::move(name)});
  }
  for (uint32_t i = 0; i < h.worker_count; ++i) {
    for (const bool request : {true, false}) {
      const Region& r = request ? layout.workers[i].request : layout.workers[i].response;
      std::string name =
          "worker " + std::to_string(i) + (request ? " request" : " response") + " ring";
      if (r.bytes != Ring::RegionBytes(capacity)) {
        return FailedPrecondition("segment header: " + name + " " + Describe(r) + " is not " +
                                  std::to_string(Ring::RegionBytes(capacity)) + " bytes");
      }
      regions.push_back({r, std::move(name)});
    }
  }
  for (const Named& r : regions) {
    PARLAB_RETURN_IF_ERROR(CheckRegion(r, segment_bytes, kArenaAlignment));
  }
  std::sort(regions.begin(), regions.end(),
            [](const Named& a, const Named& b) { return a.region.offset < b.region.offset; });
  for (size_t i = 1; i < regions.size(); ++i) {
    const Named& a = regions[i - 1];
    if (a.region.bytes > regions[i].region.offset - a.region.offset) {
      return FailedPrecondition("segment header: " + a.name + " " + Describe(a.region) +
                                " overlaps " + regions[i].name + " " + Describe(regions[i].region));
    }
  }
  return Status::Ok();
}

Result<SegmentView> SegmentView::Format(std::byte* base, size_t bytes, const Layout& layout) {
  if (reinterpret_cast<uintptr_t>(base) % kRegionAlignment != 0) {
    return InvalidArgument("segment base is not page-aligned");
  }
  PARLAB_RETURN_IF_ERROR(ValidateLayout(layout, bytes));
  std::memcpy(base, &layout.header, sizeof(SegmentHeader));
  std::memcpy(base + layout.header.worker_table.offset, layout.workers.data(),
              layout.header.worker_table.bytes);
  // The segment's pages may hold anything (a reused mapping): the doorbell
  // and boards are constructed, not assumed zero.
  new (base + layout.header.doorbell.offset) Doorbell();
  for (const WorkerRegions& w : layout.workers) {
    new (base + w.board.offset) WorkerBoard();
    for (const Region& r : {w.request, w.response}) {
      PARLAB_RETURN_IF_ERROR(
          Ring::Format(base + r.offset, r.bytes, layout.header.ring_capacity_bytes));
    }
  }
  return SegmentView(base, layout);
}

Result<SegmentView> SegmentView::Attach(std::byte* base, size_t bytes) {
  if (bytes < sizeof(SegmentHeader)) {
    return FailedPrecondition("segment of " + std::to_string(bytes) +
                              " bytes is smaller than its header");
  }
  Layout layout;
  std::memcpy(&layout.header, base, sizeof(SegmentHeader));
  const SegmentHeader& h = layout.header;
  // Enough of the header to read the table safely; ValidateLayout does the rest.
  if (h.magic != kSegmentMagic || h.version != kLayoutVersion || h.worker_count < 1 ||
      h.worker_count > kMaxWorkers) {
    return ValidateLayout(layout, bytes);  // names the first problem
  }
  const Region table = h.worker_table;
  if (table.bytes != uint64_t{h.worker_count} * sizeof(WorkerRegions) || table.offset > bytes ||
      table.bytes > bytes - table.offset) {
    return FailedPrecondition("segment header: worker table " + Describe(table) +
                              " does not fit the segment (" + std::to_string(bytes) +
                              " bytes) or its " + std::to_string(h.worker_count) + " workers");
  }
  layout.workers.resize(h.worker_count);
  std::memcpy(layout.workers.data(), base + table.offset, table.bytes);
  PARLAB_RETURN_IF_ERROR(ValidateLayout(layout, bytes));
  return SegmentView(base, std::move(layout));
}

Status SegmentView::CheckIndex(uint32_t worker) const {
  if (worker < worker_count()) return Status::Ok();
  return InvalidArgument("worker index " + std::to_string(worker) + " is not below " +
                         std::to_string(worker_count()));
}

Result<Ring> SegmentView::AttachRing(uint32_t worker, bool request) const {
  PARLAB_RETURN_IF_ERROR(CheckIndex(worker));
  const Region& r = request ? layout_.workers[worker].request : layout_.workers[worker].response;
  return Ring::Attach(base_ + r.offset, r.bytes);
}

Result<Ring> SegmentView::AttachRequestRing(uint32_t worker) const {
  return AttachRing(worker, /*request=*/true);
}

Result<Ring> SegmentView::AttachResponseRing(uint32_t worker) const {
  return AttachRing(worker, /*request=*/false);
}

ArenaView SegmentView::arena() const {
  return ArenaView(base_ + layout_.header.arena.offset, layout_.header.arena.bytes);
}

Doorbell* SegmentView::doorbell() const {
  return std::launder(reinterpret_cast<Doorbell*>(base_ + layout_.header.doorbell.offset));
}

Result<WorkerBoard*> SegmentView::board(uint32_t worker) const {
  PARLAB_RETURN_IF_ERROR(CheckIndex(worker));
  return std::launder(reinterpret_cast<WorkerBoard*>(base_ + layout_.workers[worker].board.offset));
}

void SegmentView::CloseAllRings() const {
  // Without Ring::Attach: a ring whose counters are corrupt must close too.
  for (const WorkerRegions& w : layout_.workers) {
    Ring::CloseRegion(base_ + w.request.offset);
    Ring::CloseRegion(base_ + w.response.offset);
  }
}

Status SegmentView::ResetWorker(uint32_t worker) const {
  PARLAB_RETURN_IF_ERROR(CheckIndex(worker));
  // A dead worker may have left its board saying it runs a task.
  new (base_ + layout_.workers[worker].board.offset) WorkerBoard();
  for (const Region& r : {layout_.workers[worker].request, layout_.workers[worker].response}) {
    PARLAB_RETURN_IF_ERROR(
        Ring::Format(base_ + r.offset, r.bytes, layout_.header.ring_capacity_bytes));
  }
  return Status::Ok();
}

}  // namespace parlab
