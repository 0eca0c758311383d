#include "shared/shm/layout.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace parlab {
namespace {

// Page-aligned zeroed memory standing in for a segment: the layout does not
// care whether it is shared.
struct Memory {
  explicit Memory(size_t n)
      : bytes(n),
        data(static_cast<std::byte*>(std::aligned_alloc(kRegionAlignment, n)), &std::free) {
    std::memset(data.get(), 0, n);
  }
  size_t bytes;
  std::unique_ptr<std::byte, decltype(&std::free)> data;
};

Layout Plan(uint32_t workers = 3) {
  Result<Layout> layout = PlanLayout({workers, 4096, 100'000});
  EXPECT_TRUE(layout.ok()) << layout.status().ToString();
  return *layout;
}

SegmentHeader* HeaderOf(Memory& m) { return reinterpret_cast<SegmentHeader*>(m.data.get()); }

TEST(LayoutTest, PlanPlacesEverythingInsideWithoutOverlap) {
  const Layout layout = Plan();
  EXPECT_EQ(layout.workers.size(), 3u);
  EXPECT_EQ(layout.header.total_bytes % kRegionAlignment, 0u);
  EXPECT_GE(layout.header.arena.bytes, 100'000u);
  EXPECT_TRUE(ValidateLayout(layout, layout.header.total_bytes).ok());
}

TEST(LayoutTest, PlanRejectsBadSpecs) {
  EXPECT_EQ(PlanLayout({0, 4096, 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanLayout({kMaxWorkers + 1, 4096, 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanLayout({1, 5000, 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanLayout({1, 32, 0}).status().code(), StatusCode::kInvalidArgument);
}

TEST(LayoutTest, FormatThenAttachSharesRingsAndArena) {
  const Layout layout = Plan();
  Memory m(layout.header.total_bytes);
  Result<SegmentView> coordinator = SegmentView::Format(m.data.get(), m.bytes, layout);
  ASSERT_TRUE(coordinator.ok()) << coordinator.status().ToString();
  Result<SegmentView> worker = SegmentView::Attach(m.data.get(), m.bytes);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  EXPECT_EQ(worker->worker_count(), 3u);

  Result<Ring> to_worker = coordinator->AttachRequestRing(2);
  Result<Ring> from_coordinator = worker->AttachRequestRing(2);
  ASSERT_TRUE(to_worker.ok() && from_coordinator.ok());
  ASSERT_TRUE(to_worker->TryPush("task", 4));
  Result<std::optional<FrameView>> frame = from_coordinator->TryPeek();
  ASSERT_TRUE(frame.ok() && frame->has_value());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>((*frame)->data), (*frame)->size), "task");
  // Other workers' rings are separate.
  Result<Ring> other = worker->AttachRequestRing(1);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->TryPeek()->has_value());

  EXPECT_EQ(worker->arena().size_bytes(), layout.header.arena.bytes);
  EXPECT_EQ(worker->arena().base(), coordinator->arena().base());
  EXPECT_EQ(worker->AttachResponseRing(3).status().code(), StatusCode::kInvalidArgument);
}

TEST(LayoutTest, HeaderPlacesTheDoorbellAndOneBoardPerWorker) {
  const Layout layout = Plan(3);
  Memory m(layout.header.total_bytes);
  Result<SegmentView> coordinator = SegmentView::Format(m.data.get(), m.bytes, layout);
  ASSERT_TRUE(coordinator.ok()) << coordinator.status().ToString();
  Result<SegmentView> worker = SegmentView::Attach(m.data.get(), m.bytes);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  // Both sides find the same live objects, each on a cache line of its own.
  EXPECT_EQ(worker->doorbell(), coordinator->doorbell());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(worker->doorbell()) % 64, 0u);
  for (uint32_t w = 0; w < 3; ++w) {
    Result<WorkerBoard*> ours = coordinator->board(w);
    Result<WorkerBoard*> theirs = worker->board(w);
    ASSERT_TRUE(ours.ok() && theirs.ok());
    EXPECT_EQ(*ours, *theirs);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(*ours) % 64, 0u);
    EXPECT_EQ((*ours)->running_task.load(), 0u);
  }
  EXPECT_NE(*worker->board(0), *worker->board(1));
  EXPECT_EQ(worker->board(3).status().code(), StatusCode::kInvalidArgument);
  // What a worker writes on its board, the coordinator reads.
  (*worker->board(1))->Begin(41, 7);
  EXPECT_EQ((*coordinator->board(1))->running_task.load(), 42u);
}

TEST(LayoutTest, ResetWorkerClearsItsBoardAndRings) {
  const Layout layout = Plan(2);
  Memory m(layout.header.total_bytes);
  Result<SegmentView> view = SegmentView::Format(m.data.get(), m.bytes, layout);
  ASSERT_TRUE(view.ok());
  (*view->board(1))->Begin(9, 1);
  (*view->board(0))->Begin(3, 1);
  ASSERT_TRUE(view->AttachRequestRing(1)->TryPush("x", 1));
  ASSERT_TRUE(view->ResetWorker(1).ok());
  EXPECT_EQ((*view->board(1))->running_task.load(), 0u);
  EXPECT_FALSE(view->AttachRequestRing(1)->TryPeek()->has_value());
  EXPECT_EQ((*view->board(0))->running_task.load(), 4u);  // another worker's is left alone
  EXPECT_EQ(view->ResetWorker(2).code(), StatusCode::kInvalidArgument);
}

TEST(LayoutTest, CloseAllRingsClosesEveryRing) {
  const Layout layout = Plan(2);
  Memory m(layout.header.total_bytes);
  Result<SegmentView> view = SegmentView::Format(m.data.get(), m.bytes, layout);
  ASSERT_TRUE(view.ok());
  view->CloseAllRings();
  for (uint32_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(view->AttachRequestRing(i)->closed());
    EXPECT_TRUE(view->AttachResponseRing(i)->closed());
  }
}

// Formats a good segment, lets `corrupt` damage it, and expects Attach to
// refuse it with a message containing `expected`.
void ExpectRejected(void (*corrupt)(Memory&), const std::string& expected) {
  const Layout layout = Plan();
  Memory m(layout.header.total_bytes);
  ASSERT_TRUE(SegmentView::Format(m.data.get(), m.bytes, layout).ok());
  corrupt(m);
  Result<SegmentView> view = SegmentView::Attach(m.data.get(), m.bytes);
  ASSERT_FALSE(view.ok()) << "accepted a header corrupted for: " << expected;
  EXPECT_EQ(view.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(view.status().message().find(expected), std::string::npos) << view.status().message();
}

WorkerRegions* TableOf(Memory& m) {
  return reinterpret_cast<WorkerRegions*>(m.data.get() + HeaderOf(m)->worker_table.offset);
}

TEST(LayoutTest, AttachRejectsBadMagic) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->magic ^= 1; }, "magic");
}

TEST(LayoutTest, AttachRejectsOtherVersion) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->version = kLayoutVersion + 1; }, "version");
}

TEST(LayoutTest, AttachRejectsSizeMismatch) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->total_bytes += 4096; }, "total size");
}

TEST(LayoutTest, AttachRejectsImpossibleWorkerCount) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->worker_count = 0; }, "worker count");
  ExpectRejected([](Memory& m) { HeaderOf(m)->worker_count = 100'000; }, "worker count");
  ExpectRejected([](Memory& m) { HeaderOf(m)->worker_count = 2; }, "worker table");
}

TEST(LayoutTest, AttachRejectsWorkerTableOutsideTheSegment) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->worker_table.offset = UINT64_MAX - 8; },
                 "worker table");
}

TEST(LayoutTest, AttachRejectsRingPastTheEnd) {
  ExpectRejected([](Memory& m) { TableOf(m)[1].response.offset = HeaderOf(m)->total_bytes; },
                 "worker 1 response ring");
  // An offset so large that offset + bytes wraps around.
  ExpectRejected([](Memory& m) { TableOf(m)[0].request.offset = UINT64_MAX - 63; },
                 "worker 0 request ring");
}

TEST(LayoutTest, AttachRejectsMisalignedRing) {
  ExpectRejected([](Memory& m) { TableOf(m)[2].request.offset += 8; }, "not aligned");
}

TEST(LayoutTest, AttachRejectsWrongRingSize) {
  ExpectRejected([](Memory& m) { TableOf(m)[0].request.bytes *= 2; }, "worker 0 request ring");
}

TEST(LayoutTest, AttachRejectsOverlappingRegions) {
  ExpectRejected([](Memory& m) { TableOf(m)[1].request = TableOf(m)[0].response; }, "overlaps");
  ExpectRejected([](Memory& m) { HeaderOf(m)->arena.offset = TableOf(m)[2].response.offset; },
                 "overlaps");
}

TEST(LayoutTest, AttachRejectsABadDoorbellOrBoard) {
  ExpectRejected([](Memory& m) { HeaderOf(m)->doorbell.bytes = 4; }, "doorbell");
  ExpectRejected([](Memory& m) { HeaderOf(m)->doorbell.offset = HeaderOf(m)->total_bytes; },
                 "doorbell");
  ExpectRejected([](Memory& m) { TableOf(m)[1].board.bytes *= 2; }, "worker 1 board");
  ExpectRejected([](Memory& m) { TableOf(m)[2].board.offset += 8; }, "not aligned");
  ExpectRejected([](Memory& m) { TableOf(m)[0].board.offset = UINT64_MAX - 63; }, "worker 0 board");
  // Two workers writing one board would blame each other's tasks.
  ExpectRejected([](Memory& m) { TableOf(m)[1].board = TableOf(m)[0].board; }, "overlaps");
  ExpectRejected([](Memory& m) { TableOf(m)[0].board = HeaderOf(m)->doorbell; }, "overlaps");
}

TEST(LayoutTest, AttachRejectsATinySegment) {
  Memory m(4096);
  EXPECT_EQ(SegmentView::Attach(m.data.get(), 16).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace parlab
