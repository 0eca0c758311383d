#pragma once
// The shm transport (the default): one shared-memory segment per job, as
// docs/architecture.md's "The life of one task" follows. The task's input
// lives once in the segment's arena (only offsets travel), each worker has a
// request ring and a response ring of protobuf frames, and a frame may carry a chunk of tasks
// (--chunk), as Pool.map's chunksize does. Each worker marks the task it runs on its WorkerBoard,
// so the scheduler knows which one to charge when it dies.
//
// Waiting (--wait): spin polls the response rings and never enters the
// kernel; block sleeps on the segment's Doorbell (a futex) at once; adaptive
// spins (or yields) while answers come back within a budget, then sleeps
// (shared/shm/adaptive_wait.h), and tells the workers the job's WaitSetting. Replacing a worker
// formats its rings and board afresh. The segment is unlinked by Stop (and the destructor) on every
// path. Driven from the coordinator's thread only.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/runtime/transport.h"
#include "shared/shm/adaptive_wait.h"
#include "shared/shm/layout.h"
#include "shared/shm/segment.h"
#include "shared/shm/wait_policy.h"
#include "shared/wire.h"

namespace parlab {

class ShmTransport final : public Transport {
 public:
  explicit ShmTransport(const pb::JobSpec& job);
  ~ShmTransport() override { Stop(); }

  Status Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) override;
  // Start without starting the workers, for workers that someone else starts
  // (mpi+shm: ranks of mpirun on this host, mpi_shm_transport.h): makes the
  // segment, the rings and the input as Start does, and returns each worker's
  // parlab-worker arguments (--segment NAME --index I --wait ...).
  Result<std::vector<std::vector<std::string>>> StartChannels(const Workload& workload,
                                                              AnswerSink& sink);
  int TasksPerFrame() const override { return chunk_; }
  void DescribePayload(int worker, pb::Payload& payload) const override;
  Status Encode(int worker, const pb::Frame& frame) override;
  Status Publish(int worker) override;
  Result<int> Collect() override;
  Result<bool> Wait(int64_t idle_since_ns) override;
  bool KnowsRunningTask() const override { return true; }
  std::optional<RunningTask> RunningTaskOf(int worker) const override;
  void CollectLeftovers(int worker) override;
  Status Replace(int worker, WorkerPool& pool) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

 private:
  // Delivers the answers waiting in one worker's response ring. An error is
  // the worker's fault (a corrupt frame, an answer the sink refused).
  Result<int> Drain(int worker);
  Status AttachRings(int worker);
  // What each worker's board says of its waits, as lines for Notes.
  std::vector<std::string> WorkerWaits() const;

  const pb::JobSpec job_;
  const int workers_;
  const int inflight_;
  const WaitPolicy wait_;
  const int chunk_;
  WaitLearner learner_;           // the coordinator's waits for answers
  WaitDecision decision_;         // for the wait that began at waiting_since_ns_
  int64_t waiting_since_ns_ = 0;  // 0: not waiting
  AnswerSink* sink_ = nullptr;
  std::optional<Segment> segment_;
  std::optional<SegmentView> view_;
  std::vector<Ring> requests_;
  std::vector<Ring> responses_;
  std::vector<WorkerBoard*> boards_;  // one per worker, in the segment
  // What each worker's boards said of its waits, read at Stop for Notes.
  std::vector<std::string> worker_waits_;
  uint64_t input_offset_ = 0;
  uint64_t input_bytes_ = 0;
  std::vector<uint64_t> output_offsets_;  // one per worker: its tasks run one after another
  uint64_t output_bytes_ = 0;
  std::vector<std::string> names_;       // "worker 3", for messages
  std::unique_ptr<FrameParser> parser_;  // the answers, parsed into a reused frame
  uint64_t frames_sent_ = 0;
  uint64_t doorbell_sleeps_ = 0;
};

}  // namespace parlab
