#include "shared/mpi/mpi_world.h"

#include <mpi.h>

#include <cstdlib>
#include <string>

namespace parlab {

Status MpiError(const std::string& what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  return Unavailable(what + ": " +
                     (length > 0 ? std::string(text, static_cast<size_t>(length))
                                 : "MPI error " + std::to_string(code)));
}

Result<MpiWorld*> MpiWorld::Get() {
  static MpiWorld* world = nullptr;
  if (world != nullptr) return world;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    // FUNNELED: only the thread that initialised MPI calls it; parlab's other
    // threads (heartbeats, OpenMP inside kernels) never do.
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      return Unavailable("MPI_Init failed: is this run under mpirun?");
    }
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  auto* made = new MpiWorld();  // lives until exit, as the MPI session does
  MPI_Comm_rank(MPI_COMM_WORLD, &made->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &made->size_);
  char name[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  MPI_Get_processor_name(name, &length);
  made->host_.assign(name, static_cast<size_t>(length));
  world = made;
  std::atexit(&MpiWorld::EndAtExit);
  return world;
}

void MpiWorld::EndAtExit() {
  Result<MpiWorld*> world = Get();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (world.ok() && (*world)->broken()) {
    MPI_Abort(MPI_COMM_WORLD, 1);  // the others may wait for a dead rank forever
    return;
  }
  if (world.ok() && (*world)->rank() == 0) {
    // The workers wait for more jobs until told: tell them.
    pb::Frame shutdown;
    shutdown.mutable_shutdown()->set_reason("coordinator done");
    std::string bytes;
    if (shutdown.SerializeToString(&bytes)) {
      for (const pb::WorkerPlace& peer : (*world)->peers()) {
        MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, peer.rank(), kMpiTagFrame,
                 MPI_COMM_WORLD);
      }
    }
  }
  MPI_Finalize();
}

}  // namespace parlab
