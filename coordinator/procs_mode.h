#pragma once
// procs and hybrid: W forked worker processes (parlab-worker) fed through one
// shared-memory segment per job, as DESIGN.md's "One task's way":
// the task's input lives once in the segment's arena (only offsets travel),
// each worker has a request ring and a response ring of protobuf frames,
// scheduling is credit-based (at most K frames in flight per worker) and a
// frame may carry a chunk of tasks, as Pool.map's chunksize does. hybrid is
// the same with T OpenMP/Eigen threads inside each task.
//
// Waiting (--wait): spin polls the response rings and never enters the
// kernel; block sleeps on the segment's Doorbell (a futex) at once; adaptive
// spins for a while, then sleeps. Driven from the coordinator's thread only.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/mode.h"
#include "coordinator/worker_pool.h"
#include "shared/shm/doorbell.h"
#include "shared/shm/layout.h"
#include "shared/shm/segment.h"

namespace parlab {

class ProcsMode final : public Mode {
 public:
  explicit ProcsMode(pb::JobSpec job);
  ~ProcsMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

  // Tasks per frame that --chunk auto (0) picks: Pool.map's rule,
  // ceil(tasks / (4 × workers)).
  static int AutoChunk(int64_t tasks, int workers);

 private:
  struct Trial;  // the bookkeeping of one RunTrial

  Status SendBatch(int worker, Trial& trial);
  // Takes every answer waiting in the response rings; returns how many frames.
  Result<int> Collect(Trial& trial);
  Status Absorb(int worker, const pb::ResultBatch& batch, int64_t dequeued_ns, Trial& trial);
  // Waits for the next answer according to the wait policy.
  Status WaitForAnswers(Trial& trial, int64_t& idle_since_ns);

  pb::JobSpec job_;
  WaitPolicy wait_;
  int chunk_ = 1;
  std::optional<Segment> segment_;
  std::optional<SegmentView> view_;
  std::vector<Ring> requests_;
  std::vector<Ring> responses_;
  Doorbell* doorbell_ = nullptr;
  uint64_t input_offset_ = 0;
  uint64_t input_bytes_ = 0;
  std::vector<uint64_t> output_offsets_;  // one per worker: its tasks run one after another
  uint64_t output_bytes_ = 0;
  std::unique_ptr<WorkerPool> pool_;
  pb::Frame request_;   // reused, so encoding allocates nothing once warm
  pb::Frame response_;
  std::string encoded_;
  uint64_t frames_sent_ = 0;
  uint64_t doorbell_sleeps_ = 0;
};

}  // namespace parlab
