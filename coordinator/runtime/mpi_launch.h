#pragma once
// How a `parlab run --transport mpi` is started: the mpirun line that starts
// one. Under mpirun every rank runs the same command (shared/mpi_launch.h
// tells which rank this is): rank 0 becomes the coordinator, ranks 1..N-1
// replace themselves with parlab-worker --transport mpi. Run by hand, parlab
// builds the mpirun line itself (with --hosts or --hostfile for several
// hosts), prints it and runs it. Needs no MPI library: built whether or not
// MPI was found. Pure functions, safe from any thread.

#include <string>
#include <vector>

#include "shared/mpi_launch.h"

namespace parlab {

// Whether this build has the mpi transport (PARLAB_WITH_MPI with MPI found).
bool MpiTransportBuilt();

// What to do to get it: the packages and the CMake option.
std::string HowToEnableMpi();

struct MpirunPlan {
  int workers = 1;                // ranks = workers + 1 (rank 0 coordinates)
  std::string hosts;              // mpirun --host: "a,b" or "a:2,b:2" (slots)
  std::string hostfile;           // mpirun --hostfile
  bool as_root = false;           // Open MPI refuses root without --allow-run-as-root
  std::string parlab;             // this executable, by absolute path
  std::vector<std::string> args;  // parlab's arguments, "run" first, --hosts/--hostfile removed
};

// The command line: {"mpirun", "-n", "3", ..., parlab, "run", ...}. On one
// host (no hosts, no hostfile) it adds --oversubscribe, so a job may have
// more ranks than cores, as procs may have more workers.
std::vector<std::string> MpirunCommand(const MpirunPlan& plan);

// The same as one line a shell would take back (arguments quoted as needed).
std::string ShellLine(const std::vector<std::string>& command);

}  // namespace parlab
