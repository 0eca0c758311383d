#pragma once
// Whether an MPI launcher (mpirun, srun) started this process, and as which
// rank of how many: read from the environment the launcher sets, so it needs
// no MPI library and is built whether or not MPI was found. The coordinator
// asks to route `--transport mpi` (coordinator/runtime/mpi_launch.h); the
// stamp clock asks because such a process has no parent of ours to hand it
// a calibration (shared/clock.h). Pure functions, safe from any thread.

namespace parlab {

struct MpiLaunch {
  bool under_mpirun = false;  // an MPI launcher started this process
  int rank = 0;
  int size = 1;
};

// From OMPI_COMM_WORLD_RANK/SIZE (Open MPI), else PMIX_RANK with
// OMPI_COMM_WORLD_SIZE, else PMI_RANK/PMI_SIZE (MPICH, Slurm).
MpiLaunch DetectMpiLaunch();

}  // namespace parlab
