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
// path. Driven from the coordinator's thread, or, with dispatch shards (--dispatchers), each
// group of workers from its shard's thread: a ring has one reader and one writer either way, and
// what a shard learns and parses with is its own (Shard). Several shards may sleep on the one
// Doorbell at once: a worker's ring wakes them all, and each looks at its own rings.

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
  Status SetShards(const std::vector<int>& shard_of_worker, int shards) override;
  Result<int> CollectShard(int shard) override;
  Result<bool> WaitShard(int shard, int64_t idle_since_ns) override;
  void WakeShards() override;
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

  // What one dispatcher thread waits, parses and counts with: its own, on
  // cache lines of its own.
  struct alignas(64) Shard {
    explicit Shard(const WaitLearner& fresh) : learner(fresh) {}
    std::vector<int> workers;             // the workers it drives
    WaitLearner learner;                  // its waits for answers
    WaitDecision decision;                // for the wait that began at waiting_since_ns
    int64_t waiting_since_ns = 0;         // 0: not waiting
    int64_t answered_ns = 0;              // the dequeue stamp of the last answer taken
    uint64_t spins = 0;                   // rounds spun, for kSpinRoundsPerClockRead
    std::unique_ptr<FrameParser> parser;  // the answers, parsed into a reused frame
    uint64_t frames_sent = 0;
    uint64_t doorbell_sleeps = 0;
  };
  Shard& ShardOf(int worker) {
    return shards_[static_cast<size_t>(shard_of_[static_cast<size_t>(worker)])];
  }

  const pb::JobSpec job_;
  const int workers_;
  const int inflight_;
  const WaitPolicy wait_;
  const int chunk_;
  std::vector<Shard> shards_;  // one unless SetShards said more
  std::vector<int> shard_of_;  // by worker
  AnswerSink* sink_ = nullptr;
  std::optional<Segment> segment_;
  std::optional<SegmentView> view_;
  // A worker's two rings, whose private counters its dispatcher writes per
  // frame: on cache lines of their own, away from other shards' workers.
  struct alignas(64) WorkerRings {
    Ring request;
    Ring response;
  };
  std::vector<WorkerRings> rings_;    // by worker
  std::vector<WorkerBoard*> boards_;  // one per worker, in the segment
  // What each worker's boards said of its waits, read at Stop for Notes.
  std::vector<std::string> worker_waits_;
  uint64_t input_offset_ = 0;
  uint64_t input_bytes_ = 0;
  std::vector<uint64_t> output_offsets_;  // one per worker: its tasks run one after another
  uint64_t output_bytes_ = 0;
  std::vector<std::string> names_;  // "worker 3", for messages
};

}  // namespace parlab
