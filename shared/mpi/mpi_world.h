#pragma once
// MpiWorld: this process's MPI session, for the mpi transport (coordinator,
// rank 0) and the MPI worker (ranks 1..N-1). MPI is initialised on first use
// only, so a parlab that never runs --transport mpi never calls MPI_Init, and
// it can be initialised once per process: the session lives until exit.
//
// Errors are values: MPI_COMM_WORLD returns error codes (MPI_ERRORS_RETURN)
// instead of aborting, so a failed call becomes a Status naming the peer.
// That is all MPI-3 promises after a peer dies; Open MPI's mpirun usually ends
// the whole job within a second or two anyway (README, "When a rank dies").
//
// The workers outlive a job: several jobs of one process (bench ipc) use the
// same ranks, which said hello once (peers()). At exit rank 0 sends them the
// Shutdown frame and the session ends with MPI_Finalize — or with MPI_Abort
// after MarkBroken(): a rank that died never reaches MPI_Finalize, which
// would then wait for it. Used from the one thread that initialised it
// (MPI_THREAD_FUNNELED).
//
// The stamp clock (shared/clock.h) under mpirun: a process that mpirun
// started has no parent of ours to hand it a calibration, so clock.h leaves
// it on CLOCK_MONOTONIC. Here every rank calibrates its own TSC instead, as
// the first process of a run does (UseOwnStampClock), and at initialisation
// rank 0 sends its calibration to every rank: the ranks on its node adopt
// it, so their stamps and rank 0's turn one TSC reading into one nanosecond
// (one-host clock offsets stay 0, and the mpi path stamps with the cheap
// clock too); ranks on other hosts keep their own, which the coordinator's
// clock estimates (mpi_clock.h) align.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// The tags of parlab's messages on MPI_COMM_WORLD. Frames are the same
// protobuf pb::Frame as on the other transports; payload bytes travel as
// messages of their own, never inside protobuf.
enum MpiTag : int {
  kMpiTagFrame = 1,       // a serialised pb::Frame (tasks, results, hello, shutdown, error)
  kMpiTagInput = 2,       // the job's input bytes, right after each JobConstants frame
  kMpiTagOutput = 3,      // a result frame's output bytes, right after the frame
  kMpiTagPing = 4,        // clock exchange: empty, coordinator -> worker
  kMpiTagPong = 5,        // clock exchange: the worker's CLOCK_MONOTONIC, int64 ns
  kMpiTagLargeFrame = 6,  // a frame too long for the posted receive (shared/mpi/mpi_inbox.h)
};

class MpiWorld {
 public:
  // Initialises MPI on the first call. Not OK when it cannot be.
  static Result<MpiWorld*> Get();

  int rank() const { return rank_; }
  int size() const { return size_; }
  const std::string& host() const { return host_; }

  // Whether world rank `rank` shares this process's node: MPI_COMM_TYPE_SHARED
  // puts them in one communicator (they can share memory). Found once, at
  // initialisation, by every rank (a collective call).
  bool SharesNode(int rank) const;

  // The job ended because a rank is gone: end the session with MPI_Abort.
  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }

  // Rank 0: the workers that said hello (rank, host, pid), by worker index;
  // empty until the first job's start has taken their hellos.
  const std::vector<pb::WorkerPlace>& peers() const { return peers_; }
  void SetPeers(std::vector<pb::WorkerPlace> peers) { peers_ = std::move(peers); }

 private:
  MpiWorld() = default;
  static void EndAtExit();

  int rank_ = 0;
  int size_ = 1;
  std::string host_;
  std::vector<int> node_ranks_;  // the world ranks on this node, sorted
  bool broken_ = false;
  std::vector<pb::WorkerPlace> peers_;
};

// Makes this process's stamp clock a calibration of its own, as the first
// process of a run would choose it (shared/clock.h ChooseStampClock), where
// mpirun's start left it on CLOCK_MONOTONIC; a no-op where it is the TSC
// already, or where the kernel's clocksource is not. Rank 0 calls it first
// thing (cli/mpi_run.cc), so that all it stamps reads one clock; every rank
// calls it again before MPI_Init. Only while no other thread reads the
// environment: mpirun's variables are hidden from ChooseStampClock for the call.
void UseOwnStampClock();

// "MPI_Send to rank 2: <MPI's error string>" for a failed call's code.
Status MpiError(const std::string& what, int code);

}  // namespace parlab
