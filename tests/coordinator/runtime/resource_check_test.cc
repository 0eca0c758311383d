#include "coordinator/runtime/resource_check.h"

#include <gtest/gtest.h>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/segment_size.h"
#include "shared/kernels/kernel.h"
#include "shared/task_record.h"

namespace parlab {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

pb::JobSpec Matmul(int64_t n, pb::Mode mode, int workers) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("matmul")->Defaults();
  job.mutable_kernel()->set_n(n);
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_tasks(10);
  return job;
}

MachineResources Machine(uint64_t memory, uint64_t shm) {
  MachineResources machine;
  machine.available_memory_bytes = memory;
  machine.shm = {true, shm, shm};  // free, total
  return machine;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ResourceCheckTest, FootprintPerMode) {
  const Kernel& matmul = *FindKernel("matmul");
  pb::JobSpec job = Matmul(100, pb::SEQ, 4);
  const uint64_t in = matmul.InputBytes(job.kernel());
  const uint64_t out = matmul.OutputBytes(job.kernel());
  // 10 tasks × (5 trials + one trial's ledger)
  const uint64_t records = 10 * (5 + 1) * sizeof(TaskRecord);
  EXPECT_EQ(FootprintOf(job)->memory_bytes,
            in + out + records);  // seq: one output whatever workers says
  job.set_mode(pb::BLAS);
  EXPECT_EQ(FootprintOf(job)->memory_bytes, in + out + records);
  job.set_mode(pb::THREADS);
  EXPECT_EQ(FootprintOf(job)->memory_bytes, in + 4 * out + records);
  EXPECT_EQ(FootprintOf(job)->shm_bytes, 0u);
  job.set_mode(pb::PROCS);
  Result<JobFootprint> procs = FootprintOf(job);
  ASSERT_TRUE(procs.ok());
  EXPECT_EQ(procs->shm_bytes, *SegmentBytesFor(job));
  EXPECT_EQ(procs->memory_bytes, procs->shm_bytes + records);
  EXPECT_GE(procs->shm_bytes, in + 4 * out);
  job.set_transport(pb::UDS);
  EXPECT_EQ(FootprintOf(job)->shm_bytes, 0u);
  EXPECT_EQ(FootprintOf(job)->memory_bytes, 5 * in + 8 * out + records);
}

TEST(ResourceCheckTest, TooMuchMemoryNamesTheSizeAndBothAmounts) {
  const pb::JobSpec job = Matmul(20000, pb::THREADS, 8);  // 6.0 GiB input + 8 × 3.0 GiB
  const Status ok = CheckResources({job}, Machine(64 * kGiB, 64 * kGiB));
  EXPECT_TRUE(ok.ok()) << ok.message();
  const Status s = CheckResources({job}, Machine(16 * kGiB, 64 * kGiB));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(s.message(), "matmul --n 20000 in threads with 8 workers")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "needs 29.80 GiB of memory")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "8 outputs × 2.98 GiB")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "16.00 GiB is available")) << s.message();
}

TEST(ResourceCheckTest, TaskRecordsCountAndAreNamedWhenTheyMatter) {
  pb::JobSpec job = Matmul(10, pb::SEQ, 1);
  const uint64_t buffers = FootprintOf(job)->memory_bytes - 10 * (5 + 1) * sizeof(TaskRecord);
  EXPECT_EQ(FootprintOf(job)->detail.find("task records"), std::string::npos);
  job.set_tasks(100'000'000);
  job.set_trials(5);
  // 100 million tasks × (5 trials + one ledger) records.
  EXPECT_EQ(FootprintOf(job)->memory_bytes, buffers + 600'000'000ull * sizeof(TaskRecord));
  const Status s = CheckResources({job}, Machine(16 * kGiB, 64 * kGiB));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(s.message(), "task records")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "100000000 tasks × 5 trials")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "fewer tasks × trials")) << s.message();
}

TEST(ResourceCheckTest, UnknownMemorySkipsTheMemoryCheck) {
  const pb::JobSpec job = Matmul(20000, pb::THREADS, 8);
  EXPECT_TRUE(CheckResources({job}, Machine(0, 64 * kGiB)).ok());
}

TEST(ResourceCheckTest, SegmentLargerThanDevShmIsRefusedWithBothSizes) {
  const pb::JobSpec job = Matmul(2000, pb::PROCS, 2);  // ~122 MiB segment
  const uint64_t segment = *SegmentBytesFor(job);
  EXPECT_TRUE(CheckResources({job}, Machine(64 * kGiB, segment)).ok());
  const Status s = CheckResources({job}, Machine(64 * kGiB, 64 << 20));  // a container's 64 MB
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(s.message(), "a segment of " + HumanBytes(static_cast<double>(segment))))
      << s.message();
  EXPECT_TRUE(Contains(s.message(), "/dev/shm but it has 64.00 MiB free")) << s.message();
  // Threads hold the same buffers in the heap: /dev/shm does not matter.
  EXPECT_TRUE(CheckResources({Matmul(2000, pb::THREADS, 2)}, Machine(64 * kGiB, 64 << 20)).ok());
  // An unknown /dev/shm (statvfs failed) is left to Segment::Create.
  MachineResources unknown = Machine(64 * kGiB, 0);
  unknown.shm.known = false;
  EXPECT_TRUE(CheckResources({job}, unknown).ok());
}

TEST(ResourceCheckTest, JobsStartedTogetherAddUp) {
  const pb::JobSpec seq = Matmul(10000, pb::SEQ, 2);          // 2.24 GiB
  const pb::JobSpec threads = Matmul(10000, pb::THREADS, 2);  // 2.98 GiB
  const MachineResources machine = Machine(4 * kGiB, 64 * kGiB);
  EXPECT_TRUE(CheckResources({seq}, machine).ok());
  EXPECT_TRUE(CheckResources({threads}, machine).ok());
  const Status both = CheckResources({seq, threads}, machine);
  EXPECT_EQ(both.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(both.message(), "the modes started together")) << both.message();
}

TEST(ResourceCheckTest, ImpossibleRingsNameChunkAndInflight) {
  pb::JobSpec job = Matmul(10, pb::PROCS, 2);
  job.set_chunk(65536);
  job.set_inflight(1024);
  const Status s = CheckResources({job}, Machine(64 * kGiB, 64 * kGiB));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "--chunk 65536 with --inflight 1024")) << s.message();
}

TEST(ResourceCheckTest, FormatBytesPicksAUnit) {
  EXPECT_EQ(HumanBytes(512), "512 bytes");
  EXPECT_EQ(HumanBytes(64.0 * 1024 * 1024), "64.00 MiB");
  EXPECT_EQ(HumanBytes(1.5 * kGiB), "1.50 GiB");
  EXPECT_EQ(HumanBytes(300.0 * kGiB), "300 GiB");
}

}  // namespace
}  // namespace parlab
