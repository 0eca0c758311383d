// SegmentBytesFor() must predict the segment ProcsMode creates, byte for
// byte: validation refuses jobs by it, so a drift would refuse good jobs or
// let through ones that cannot fit in /dev/shm.
#include "coordinator/runtime/segment_size.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/procs_mode.h"
#include "shared/kernels/kernel.h"
#include "tests/support/segment_checks.h"

namespace parlab {
namespace {

pb::JobSpec Job(const std::string& kernel, int workers, int chunk, int64_t tasks) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel(kernel)->Defaults();
  if (kernel == "sum") job.mutable_kernel()->set_n(300);
  job.set_mode(pb::PROCS);
  job.set_workers(workers);
  job.set_chunk(chunk);
  job.set_tasks(tasks);
  return job;
}

TEST(SegmentSizeTest, ChunkForFollowsProcsModesAutoChunk) {
  for (const int64_t tasks : {1, 8, 100, 12345}) {
    for (const int workers : {1, 2, 7}) {
      EXPECT_EQ(ChunkFor(Job("noop", workers, 0, tasks)), ProcsMode::AutoChunk(tasks, workers));
    }
  }
  EXPECT_EQ(ChunkFor(Job("noop", 2, 5, 1000)), 5);
  // Pool.map's rule would put 12.5 million tasks in a frame here.
  EXPECT_EQ(ChunkFor(Job("noop", 2, 0, kMaxTasks)), kMaxChunk);
}

TEST(SegmentSizeTest, GrowsWithWorkersOutputsAndChunks) {
  const uint64_t base = *SegmentBytesFor(Job("sum", 1, 1, 10));
  EXPECT_GT(*SegmentBytesFor(Job("sum", 2, 1, 10)), base);
  EXPECT_GT(*SegmentBytesFor(Job("sum", 1, 4096, 10)), base);  // bigger rings
  EXPECT_EQ(*SegmentBytesFor(Job("sum", 1, 1, 10)) % kRegionAlignment, 0u);
}

TEST(SegmentSizeTest, UnknownWorkloadAndImpossibleRingsAreErrors) {
  pb::JobSpec job = Job("noop", 1, 1, 1);
  job.mutable_kernel()->set_kernel("fft");
  EXPECT_EQ(SegmentBytesFor(job).status().code(), StatusCode::kInvalidArgument);
  job = Job("noop", 1, 65536, 1);
  job.set_inflight(1024);  // rings of 4 × 8 MiB frames × 1024 > 2^32
  EXPECT_EQ(SegmentBytesFor(job).status().code(), StatusCode::kInvalidArgument);
}

TEST(SegmentSizeTest, PredictsTheSegmentProcsModeCreates) {
  for (const pb::JobSpec& job : {Job("sum", 2, 1, 10), Job("noop", 3, 0, 5000)}) {
    ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
    ASSERT_EQ(SegmentsOfThisProcess(), 0);
    ProcsMode mode(job);
    const Status started = mode.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    const std::vector<SegmentFile> segments = SegmentsOf(getpid());
    mode.Stop();
    ASSERT_EQ(segments.size(), 1u) << "ProcsMode's segment is not in /dev/shm while it runs";
    EXPECT_EQ(segments[0].bytes, *SegmentBytesFor(job)) << job.kernel().kernel();
  }
}

}  // namespace
}  // namespace parlab
