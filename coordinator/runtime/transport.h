#pragma once
// Transport: how the procs/hybrid scheduler (ProcsMode) gets task frames to
// its workers and their answers back. The scheduler owns everything that does
// not depend on the wire: the task specs, credits, the TaskLedger, requeue,
// replacement and the give-up rule, task timeouts, and supervision through the
// WorkerPool. A transport owns the channels and the payload's home:
//   shm  one shared-memory segment, a request and a response ring per worker,
//        the payload once in its arena (shm_transport.h);
//   uds  a Unix socket pair per worker, the payload copied through it
//        (uds_transport.h);
//   mpi  the ranks of an mpirun job, frames and payload as MPI messages
//        (mpi_transport.h; built with PARLAB_WITH_MPI). Its workers are not
//        the pool's children: the pool starts none and only watches signals;
//   mpi+shm  mpi, but the ranks on the coordinator's node take the shm path
//        (mpi_shm_transport.h: routes each worker to one of the two).
// A new transport is a new implementation of this interface, not a new trial
// loop.
//
// What every transport promises: frames to one worker are answered in the
// order they were sent, one result frame per task frame (the scheduler's
// "oldest unanswered frame" rests on it; a JobConstants frame is not
// answered), and a worker's channel is made new by Replace, so nothing of a
// dead worker reaches its replacement (which the scheduler sends the job's
// constants again).
//
// Driven from the coordinator's thread only; it and the sink never run
// concurrently, though a transport may call the sink from within any of its
// functions and from the WorkerPool's Poll() (uds shares its io_context).
// The exception is dispatch shards (--dispatchers, shm only): after
// SetShards, one thread per shard calls Encode and Publish for its own
// workers, CollectShard and WaitShard for its own shard (delivering to the
// sink from that thread), at once with the other shards' threads; every
// other call runs while no shard thread does.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/runtime/worker_pool.h"
#include "proto/parlab.pb.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

// How long the first workers, together, have to say hello.
inline constexpr int kWorkerStartTimeoutMs = 10'000;

// What a job's tasks read and write, looked up once by the scheduler.
struct Workload {
  const Kernel* kernel = nullptr;
  uint64_t input_bytes = 0;   // the one input every task reads
  uint64_t output_bytes = 0;  // each task's output
};

// The task a worker runs now, as far as the coordinator can tell.
struct RunningTask {
  uint64_t id = 0;
  int64_t started_ns = 0;  // NowNs()
};

// Where a transport delivers what its workers said. Implemented by the
// scheduler.
class AnswerSink {
 public:
  // A result frame from `worker`, taken off its channel at dequeued_ns. Not
  // OK when it cannot be right (arrays that do not line up, a task the
  // worker does not hold): the transport then reports the worker through
  // OnCorrupt.
  virtual Status OnAnswers(int worker, const pb::ResultFrame& answers, int64_t dequeued_ns) = 0;
  // `worker` said something that cannot be right (a frame that does not
  // parse, an answer OnAnswers refused). The transport reads nothing more of
  // that worker until it is replaced; the scheduler kills and replaces it.
  virtual void OnCorrupt(int worker, const Status& why) = 0;
  // The task `worker` runs now, as far as the scheduler can tell: for the
  // message of a transport that sees a worker die where the scheduler does
  // not (an MPI rank).
  virtual std::optional<RunningTask> RunningTaskOf(int worker) const = 0;

 protected:
  ~AnswerSink() = default;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Makes the channels, puts the workload's input where the workers read it
  // and starts `pool`'s workers (pool.Start) on them. `pool` and `sink` must
  // outlive the transport's use of them, which ends with Stop().
  virtual Status Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) = 0;

  // At most this many tasks per frame (shm: --chunk; uds: 1).
  virtual int TasksPerFrame() const = 0;
  // Fills the payload part of `worker`'s JobConstants: where its input and
  // output are (shm: arena offsets) or how many bytes travel (uds).
  virtual void DescribePayload(int worker, pb::Payload& payload) const = 0;

  // Sending is two steps, so that the scheduler stamps "enqueued" between
  // them: after the encoding (the encode phase's cost), before the worker can
  // see the frame (its dequeue stamp must not come first). Encode sizes the
  // frame once and serializes it where it will travel from (shm: straight
  // into `worker`'s request ring slot); the frame is a JobConstants or a
  // TaskFrame. The scheduler sends task frames only with a credit, so the
  // channel has room.
  virtual Status Encode(int worker, const pb::Frame& frame) = 0;
  // Hands the frame just encoded to `worker`.
  virtual Status Publish(int worker) = 0;

  // Delivers every answer already there, without waiting. Returns how many
  // frames (a corrupt one counts: something happened).
  virtual Result<int> Collect() = 0;
  // Nothing was there: waits as the job's wait policy says, delivering what
  // comes. True when it slept (the scheduler then looks at the control
  // plane), false when it only spun or found answers.
  virtual Result<bool> Wait(int64_t idle_since_ns) = 0;

  // Dispatch shards: worker w is driven by the thread of shard
  // shard_of_worker[w] (0 ≤ it < shards). Before Start. A transport that
  // cannot be driven from several threads refuses more than one shard.
  virtual Status SetShards(const std::vector<int>& shard_of_worker, int shards);
  // Collect and Wait for one shard's workers only (a shard's thread).
  virtual Result<int> CollectShard(int shard);
  virtual Result<bool> WaitShard(int shard, int64_t idle_since_ns);
  // Wakes every shard's thread sleeping in WaitShard, so it looks again
  // (any thread).
  virtual void WakeShards() {}

  // Whether RunningTaskOf tells; otherwise the scheduler takes the first
  // task of the worker's oldest unanswered frame.
  virtual bool KnowsRunningTask() const { return false; }
  // The task `worker` runs now, or none between tasks. Read as a hint only:
  // a dead worker may have left anything there.
  virtual std::optional<RunningTask> RunningTaskOf(int /*worker*/) const { return std::nullopt; }

  // `worker` died or was killed: delivers the answers it sent before, which
  // still count. Never after OnCorrupt (nothing more of it is trusted).
  virtual void CollectLeftovers(int worker) = 0;
  // Makes `worker`'s channel new and starts its replacement (pool.Restart).
  // Precondition: the worker has ended and been reaped.
  virtual Status Replace(int worker, WorkerPool& pool) = 0;

  // Closes the channels so that the workers leave, and releases them: after
  // it nothing of the transport is bound to the pool's io_context. Called
  // before the pool stops; idempotent.
  virtual void Stop() = 0;

  // Report lines (the first names the transport) with its counters.
  virtual std::vector<std::string> Notes() const = 0;

  // Where each worker runs and how its clock stands against ours, for a
  // transport whose workers may be on other hosts (mpi); empty otherwise.
  virtual std::vector<pb::WorkerPlace> Places() const { return {}; }

  // The control plane (WorkerPool::Poll) says the job must end: `why` is an
  // interrupt or a failure it saw. A transport whose workers the pool does
  // not own may know better (under mpirun, the SIGTERM that follows a rank's
  // death) and returns the status to end the job with.
  virtual Status OnControlFailure(Status why) { return why; }
};

// The transport job.transport() names: shm, uds or (when built) mpi.
std::unique_ptr<Transport> MakeTransport(const pb::JobSpec& job);

}  // namespace parlab
