#include "coordinator/runtime/segment_size.h"

#include <algorithm>

#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

uint64_t RoundUp(uint64_t value, uint64_t to) { return (value + to - 1) / to * to; }

uint64_t NextPowerOfTwo(uint64_t value) {
  uint64_t p = 1;
  while (p < value) p <<= 1;
  return p;
}

}  // namespace

int ChunkFor(const pb::JobSpec& job) {
  if (job.chunk() > 0) return job.chunk();
  const int64_t per = 4 * std::max(1, job.workers());
  return static_cast<int>(std::clamp<int64_t>((job.tasks() + per - 1) / per, 1, kMaxChunk));
}

Result<LayoutSpec> SegmentLayoutFor(const pb::JobSpec& job) {
  const Kernel* kernel = FindKernel(job.kernel().kernel());
  if (kernel == nullptr) return InvalidArgument("unknown workload '" + job.kernel().kernel() + "'");
  if (job.workers() < 1) return InvalidArgument("workers must be at least 1");
  const auto workers = static_cast<uint64_t>(job.workers());
  const uint64_t input_bytes = kernel->InputBytes(job.kernel());
  const uint64_t output_bytes = kernel->OutputBytes(job.kernel());
  LayoutSpec spec;
  spec.worker_count = static_cast<uint32_t>(workers);
  // The doorbell and the boards are the layout's own (PlanLayout places them).
  spec.arena_bytes = RoundUp(std::max<uint64_t>(input_bytes, 1), kArenaAlignment) +
                     workers * RoundUp(std::max<uint64_t>(output_bytes, 1), kArenaAlignment);
  // A ring holds every frame its worker may have in flight, with room to spare
  // (a task spec is ~60 bytes; a wrap can waste one frame).
  uint64_t frame_bytes = 128 + 128 * static_cast<uint64_t>(ChunkFor(job));
  // A command task's frame carries its command line, its answer the output
  // that stays inline (coordinator/command/command_feed.h bounds both).
  if (job.has_command()) frame_bytes = kCommandFrameBytes * static_cast<uint64_t>(ChunkFor(job));
  const uint64_t inflight = static_cast<uint64_t>(std::max(1, job.inflight()));
  spec.ring_capacity_bytes =
      std::max<uint64_t>(64 * 1024, NextPowerOfTwo(4 * frame_bytes * inflight));
  return spec;
}

Result<uint64_t> SegmentBytesFor(const pb::JobSpec& job) {
  PARLAB_ASSIGN_OR_RETURN(LayoutSpec spec, SegmentLayoutFor(job));
  PARLAB_ASSIGN_OR_RETURN(Layout layout, PlanLayout(spec));
  return layout.header.total_bytes;
}

}  // namespace parlab
