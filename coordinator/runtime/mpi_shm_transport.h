#pragma once
// The mpi+shm transport (--transport mpi+shm): the ranks of an mpirun job, as
// on --transport mpi, but those that share the coordinator's host
// (MPI_COMM_TYPE_SHARED, shared/mpi/mpi_world.h) take the shared-memory path:
// the shm transport's segment, rings and arena, with the input there once,
// while the ranks on other hosts get frames and payloads as MPI messages.
//
// It adds no scheduler: it routes each worker's frames to one of two
// transports behind the same interface. The MpiTransport keeps every rank's
// MPI side (hellos, clock estimates, places, deaths, the ranks' life across
// jobs) and the frames of the remote ranks; a ShmTransport over only the
// local ranks (their own worker indices 0..L-1 in its segment) carries
// theirs. A local rank is told the segment by one MPI frame (pb::ShmPath:
// the parlab-worker arguments a forked worker would get) and then runs the
// shm worker's loop until the rings close, after which it answers MPI
// messages again (the closing clock estimate, the next job).
//
// Failure is MPI's: no rank is replaced, so an answer on a ring that cannot be
// right ends the job with the rank's name, as a rank's death does.
// Places() says each worker's path, "shm" or "mpi", which every record of
// the log then carries. Driven from the coordinator's thread only.

#include <memory>
#include <string>
#include <vector>

#include "coordinator/runtime/mpi_transport.h"
#include "coordinator/runtime/shm_transport.h"

namespace parlab {

class MpiShmTransport final : public Transport, private AnswerSink {
 public:
  explicit MpiShmTransport(const pb::JobSpec& job);
  ~MpiShmTransport() override { Stop(); }

  Status Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) override;
  int TasksPerFrame() const override { return mpi_.TasksPerFrame(); }
  void DescribePayload(int worker, pb::Payload& payload) const override;
  Status Encode(int worker, const pb::Frame& frame) override;
  Status Publish(int worker) override;
  Result<int> Collect() override;
  Result<bool> Wait(int64_t idle_since_ns) override;
  void CollectLeftovers(int worker) override;
  Status Replace(int worker, WorkerPool& pool) override { return mpi_.Replace(worker, pool); }
  void Stop() override;
  std::vector<std::string> Notes() const override;
  std::vector<pb::WorkerPlace> Places() const override { return mpi_.Places(); }
  Status OnControlFailure(Status why) override { return mpi_.OnControlFailure(std::move(why)); }

 private:
  // Where one worker's frames go: the shm transport's worker `index`, or
  // MPI (index unused).
  struct Route {
    bool shm = false;
    int index = 0;
  };

  // AnswerSink of the shm transport: its worker indices are the local
  // ranks', mapped back to the job's before the scheduler sees them.
  Status OnAnswers(int local, const pb::ResultFrame& answers, int64_t dequeued_ns) override;
  void OnCorrupt(int local, const Status& why) override;
  std::optional<RunningTask> RunningTaskOf(int local) const override;

  const pb::JobSpec job_;
  MpiTransport mpi_;
  std::unique_ptr<ShmTransport> shm_;  // none when no rank shares our host
  std::vector<Route> routes_;          // by worker
  std::vector<int> local_workers_;     // by the shm transport's index: the job's worker
  AnswerSink* sink_ = nullptr;
  std::string corrupt_;  // the first local rank's answer that could not be right
};

}  // namespace parlab
