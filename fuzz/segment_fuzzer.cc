// Fuzzes what a worker does with a segment it opens (shared/shm/layout.h):
// SegmentView::Attach on arbitrary segment bytes — the header, the worker
// table, every ring — then, when the layout validates, attaches and drains
// every ring and checks ranges against the arena, as a worker would with a
// segment a buggy or hostile coordinator filled. Nothing may be read or
// written outside the segment. Seeds are real formatted segments
// (fuzz/make_seeds.cc), so the fuzzer starts past the magic and the sizes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "shared/shm/layout.h"

namespace {

struct FreeDeleter {
  void operator()(std::byte* p) const { std::free(p); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using parlab::SegmentView;
  if (size == 0 || size > (1u << 20)) return 0;
  // Segments are page-aligned mappings; give the bytes the same alignment.
  const size_t rounded =
      (size + parlab::kRegionAlignment - 1) / parlab::kRegionAlignment * parlab::kRegionAlignment;
  std::unique_ptr<std::byte, FreeDeleter> base(
      static_cast<std::byte*>(std::aligned_alloc(parlab::kRegionAlignment, rounded)));
  std::memcpy(base.get(), data, size);

  parlab::Result<SegmentView> view = SegmentView::Attach(base.get(), size);
  if (!view.ok()) return 0;
  volatile uint8_t sink = 0;
  for (uint32_t w = 0; w < view->worker_count(); ++w) {
    for (const bool request : {true, false}) {
      parlab::Result<parlab::Ring> ring =
          request ? view->AttachRequestRing(w) : view->AttachResponseRing(w);
      if (!ring.ok()) continue;
      for (int frames = 0; frames < 64; ++frames) {
        parlab::Result<std::optional<parlab::FrameView>> peeked = ring->TryPeek();
        if (!peeked.ok() || !peeked->has_value()) break;
        for (size_t i = 0; i < (*peeked)->size; ++i) {
          sink = sink ^ static_cast<uint8_t>((*peeked)->data[i]);
        }
        ring->Consume();
      }
    }
  }
  const parlab::ArenaView arena = view->arena();
  if (arena.CheckRange(0, arena.size_bytes()).ok() && arena.size_bytes() > 0) {
    sink = sink ^ static_cast<uint8_t>(arena.base()[arena.size_bytes() - 1]);
  }
  view->CloseAllRings();
  return 0;
}
