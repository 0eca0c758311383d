#pragma once
// parlab-worker's life on the mpi transport (--transport mpi): rank R of an
// mpirun job is worker R-1 of the coordinator, rank 0. `parlab run
// --transport mpi` on a rank above 0 replaces itself with this (one command
// line for every rank, as mpirun starts them).
//
// The same protobuf frames as the other transports travel as MPI messages
// (shared/mpi/mpi_world.h's tags); the job's input arrives as a message of
// its own right after the job's constants, and each result frame is followed
// by the frame's output bytes as another. The worker is synchronous, one
// thread: it keeps a receive posted for the coordinator's next message
// (shared/mpi/mpi_inbox.h: cheaper than probing) and tests it with MPI_Test
// — spinning, sleeping or both as --wait says, since a blocking MPI_Wait
// spins at 100% in Open MPI — and answers clock pings at once, so the
// coordinator's clock estimate measures this loop. It ignores SIGTERM: when another
// rank dies mpirun sends it to every rank, and a live worker lets the coordinator tell the dead one
// from the others (SIGKILL follows anyway). It stops on a Shutdown frame.

#include "shared/status.h"
#include "worker/worker.h"

namespace parlab {

Status RunMpiWorker(const WorkerOptions& options);

}  // namespace parlab
