#pragma once
// What `parlab run --transport mpi` does first, by where it runs:
//   - under mpirun, rank 0: nothing here; it goes on as the coordinator;
//   - under mpirun, ranks 1..N-1: become parlab-worker --transport mpi, in
//     place (mpirun starts every rank with the same command line);
//   - run by hand: build the mpirun line for --workers W (+ rank 0), on
//     --hosts or --hostfile if given, print it and become it.
// The command stays thin: this decides and execs, the runtime runs the job.

#include <optional>
#include <string>

#include "proto/parlab.pb.h"

namespace parlab {

struct MpiRunFlags {
  std::string hosts;     // --hosts a,b (mpirun --host)
  std::string hostfile;  // --hostfile F
  bool workers_given = false;
};

// The exit code when this process must not run the job itself (it failed
// to become the worker or mpirun, or the flags do not fit), or nullopt when
// it is rank 0 and coordinates. Returns only on failure in the exec cases.
std::optional<int> RouteMpiRun(const pb::JobSpec& job, const MpiRunFlags& flags);

// Under mpirun, on a rank above 0: becomes parlab-worker --transport mpi
// with `wait` and returns only on failure, with the exit code; otherwise
// nullopt (rank 0, or not under mpirun). For commands that run several jobs
// over the same ranks (bench ipc).
std::optional<int> BecomeMpiWorkerOnRanksAboveZero(pb::WaitPolicy wait);

// Remembers the process's arguments, for the mpirun line (RunCli calls it).
void SetCommandLine(int argc, char** argv);

}  // namespace parlab
