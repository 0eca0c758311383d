#pragma once
// The mpi transport (--transport mpi): the scheduler's workers are the ranks
// 1..N-1 of an mpirun job and this process, rank 0, is the coordinator. The
// same protobuf frames as on shm and uds travel as MPI messages
// (shared/mpi/mpi_world.h's tags); the job's input goes to a rank right
// after its JobConstants frame, and each ResultFrame comes back followed by
// its output bytes as a message of its own: payload matrices are MPI buffers,
// never protobuf fields.
//
// The WorkerPool starts no process here (mpirun did): it still watches
// SIGINT/SIGTERM. A frame under the eager limit leaves with MPI_Send, which
// returns without the worker (Publish says why it cannot hang); a longer one
// with MPI_Isend, so the coordinator never blocks in a rendezvous while a
// worker blocks sending it a large output; their buffers are reused once sent. Answers land in a
// receive kept posted for each rank (shared/mpi/mpi_inbox.h: a probe costs more than the whole
// exchange), all tested at once with MPI_Testsome (MPI_Test for one rank); waiting is spinning,
// then sleeping as --wait says (MPI has no descriptor to sleep on).
//
// Clocks: after the hellos and again before the shutdown, each rank's clock
// is measured against ours by ping exchanges (shared/mpi/mpi_clock.h); the
// stamps a worker takes are moved to the coordinator's clock with the first
// estimate before the scheduler sees them (not on our node, where the clock
// is ours and an estimate within its bound of 0 is taken as 0), so records, traces and analyses of
// a multi-host job share one time axis. Places() tells each worker's rank,
// host, pid, path and both estimates, for the log header.
//
// Failure: MPI cannot replace a rank (without ULFM, README "When a rank
// dies"), so a rank that dies ends the job, with a message naming the rank,
// its host and the task it ran. The coordinator sees a death on its own host
// at once (the rank's pid is gone); one elsewhere when mpirun ends the job
// with SIGTERM, after which the ranks that still answer a ping are alive.
// Driven from the coordinator's thread only.

#include <mpi.h>

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/runtime/transport.h"
#include "shared/aligned_buffer.h"
#include "shared/frame_writer.h"
#include "shared/mpi/mpi_inbox.h"
#include "shared/wire.h"

namespace parlab {

class MpiTransport final : public Transport {
 public:
  explicit MpiTransport(const pb::JobSpec& job);
  ~MpiTransport() override;

  Status Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) override;
  int TasksPerFrame() const override { return chunk_; }
  void DescribePayload(int worker, pb::Payload& payload) const override;
  Status Encode(int worker, const pb::Frame& frame) override;
  Status Publish(int worker) override;
  Result<int> Collect() override;
  Result<bool> Wait(int64_t idle_since_ns) override;
  void CollectLeftovers(int /*worker*/) override {}
  Status Replace(int worker, WorkerPool& pool) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;
  std::vector<pb::WorkerPlace> Places() const override { return places_; }
  Status OnControlFailure(Status why) override;

  // mpi+shm (job.mpi_shm): whether `worker`'s rank shares this host's memory
  // (MPI_COMM_TYPE_SHARED) and so takes the shared-memory path. Such a rank
  // gets no input here and no frames but the ones MpiShmTransport hands
  // through; its place says "shm". Known after Start.
  bool OnShmPath(int worker) const { return ranks_[static_cast<size_t>(worker)].shm; }
  // "rank 2 on host a (pid 7)". After Start.
  std::string Who(int worker) const;
  // Ends the job with `why`: the session then ends with MPI_Abort, as the
  // ranks may wait for a job that will not come. Returns `why`.
  Status Fail(Status why);

 private:
  struct Send {         // a frame in flight: its bytes live until its requests complete
    std::string bytes;  // unused for the input, which input_ holds
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Request announce = MPI_REQUEST_NULL;  // a large frame's first message
  };
  struct Rank {
    // Oldest first. A list, whose nodes never move (MPI reads a frame's
    // bytes from where it was sent, and a short frame lives inside its
    // string) and go back to idle_sends_ once sent, so that a frame costs no
    // allocation; a deque allocated and freed a node every 10 frames.
    std::list<Send> sends;
    std::optional<MpiInbox> inbox;  // where its answers land (after Start)
    std::string who;                // Who(), made once
    int64_t shift_ns = 0;           // what its stamps move by: its clock's offset, or 0
    bool same_node = false;         // MPI_COMM_TYPE_SHARED with us: one clock
    bool local = false;             // on this host: its pid can be watched
    bool shm = false;               // mpi+shm: on the shared-memory path
  };

  Status StartRanks(const Workload& workload, AnswerSink& sink);
  // Takes the hello of every rank but ours, or fails naming the ranks that
  // did not say it.
  Result<std::vector<pb::WorkerPlace>> TakeHellos(int ranks);
  // Completes the sends that are done; their nodes, with their buffers' room,
  // go to idle_sends_ for new frames.
  Status TestSends();
  // Posts the answers' receives that TakeAnswer left for after the sends.
  Status PostUnposted();
  // A node for a new send at the end of `rank`'s, from idle_sends_ when one
  // is there; its requests MPI_REQUEST_NULL, its bytes whatever they were.
  Send& NewSend(Rank& rank);
  // Gives back the node NewSend just made, whose send did not start.
  void DropLastSend(Rank& rank);
  // Receives `bytes` of `tag` from `worker`, watching the ranks on this host
  // while it waits.
  Status Receive(int worker, int tag, void* into, int bytes);
  // The result frame (and its output) that completed `worker`'s posted
  // receive with `status`, delivered to the sink; its receive is posted
  // again by the next Collect.
  // `found_ns`: stamped as the poll found it in the posted receive.
  Status TakeAnswer(int worker, const MPI_Status& status, int64_t found_ns);
  // Not OK when a rank on this host has died; looks at most every kWatchNs.
  Status WatchLocalRanks();
  // A rank on this host that has died, as a message; "" when all live.
  std::string FindLocalDeath() const;
  std::string DeathOf(int worker) const;

  const pb::JobSpec job_;
  const int chunk_;
  uint64_t input_bytes_ = 0;
  uint64_t output_bytes_ = 0;
  AlignedBuffer input_;
  AlignedBuffer output_;  // where every answer's output bytes land
  AnswerSink* sink_ = nullptr;
  std::vector<Rank> ranks_;  // by worker index (rank - 1)
  std::vector<pb::WorkerPlace> places_;
  // By worker index: each rank's posted receive, and what MPI_Testsome says
  // of them.
  std::vector<MPI_Request> posted_;
  std::vector<int> unposted_;  // whose answer was taken: posted again by the next Collect
  std::vector<int> done_;
  std::vector<MPI_Status> done_status_;
  FrameWriter writer_;
  std::string_view staged_;        // the frame Encode made (in writer_), for Publish
  std::list<Send> idle_sends_;     // sent frames' nodes and buffers, for the next ones
  bool staged_constants_ = false;  // job constants: the input goes first
  std::vector<char> body_;
  pb::Frame answer_;    // the hellos
  FrameParser parser_;  // the answers
  std::string host_;
  bool started_ = false;
  bool stopped_ = false;
  bool failed_ = false;
  int64_t last_watch_ns_ = 0;
  uint32_t polls_ = 0;  // looks for answers, for kPollsPerWatchCheck
  uint64_t events_ = 0;
  uint64_t frames_sent_ = 0;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

}  // namespace parlab
