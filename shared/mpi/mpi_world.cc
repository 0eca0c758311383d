#include "shared/mpi/mpi_world.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "shared/clock.h"

namespace parlab {
namespace {

// What ChooseStampClock takes for a process started by an MPI launcher
// (shared/clock.cc): hidden from it while it chooses for a rank.
constexpr const char* kLauncherVariables[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};

// Room for an encoded stamp clock: "tsc:" + three numbers + a boot id is
// about 100 characters.
constexpr int kStampClockBytes = 256;

// Rank 0's stamp clock to every rank, adopted by the ranks on its node (a
// collective call: every rank makes it, at initialisation).
void ShareStampClock(const MpiWorld& world) {
  char text[kStampClockBytes] = {};
  if (world.rank() == 0) {
    const std::string mine = EncodeStampClock(CurrentStampClock());
    // Too long never happens (see above); the ranks then keep their own.
    if (mine.size() < sizeof text) std::memcpy(text, mine.data(), mine.size());
  }
  if (MPI_Bcast(text, kStampClockBytes, MPI_CHAR, 0, MPI_COMM_WORLD) != MPI_SUCCESS) return;
  if (world.rank() == 0 || !world.SharesNode(0)) return;
  Result<StampClock> rank_zero =
      DecodeStampClock(std::string_view(text, strnlen(text, sizeof text)));
  if (!rank_zero.ok()) return;
  rank_zero->reason = "rank 0's calibration, sent over MPI";
  UseStampClock(*rank_zero);
}

}  // namespace

void UseOwnStampClock() {
  if (CurrentStampClock().tsc) return;
  std::vector<std::pair<const char*, std::string>> hidden;
  for (const char* name : kLauncherVariables) {
    if (const char* value = std::getenv(name); value != nullptr) {
      hidden.emplace_back(name, value);
      unsetenv(name);
    }
  }
  StampClock own = ChooseStampClock();
  for (const auto& [name, value] : hidden) setenv(name, value.c_str(), 1);
  if (!own.tsc) return;  // CLOCK_MONOTONIC either way
  own.reason = "calibrated by this rank against CLOCK_MONOTONIC";
  UseStampClock(own);
}

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
    // Before MPI_Init: no thread of MPI's reads the environment yet.
    UseOwnStampClock();
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
  // Every rank initialises here, so every rank takes part in the split.
  MPI_Comm node = MPI_COMM_NULL;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, made->rank_, MPI_INFO_NULL,
                          &node) == MPI_SUCCESS) {
    MPI_Group node_group, world_group;
    MPI_Comm_group(node, &node_group);
    MPI_Comm_group(MPI_COMM_WORLD, &world_group);
    int size = 0;
    MPI_Group_size(node_group, &size);
    std::vector<int> in_node(static_cast<size_t>(size));
    std::iota(in_node.begin(), in_node.end(), 0);
    made->node_ranks_.resize(in_node.size());
    MPI_Group_translate_ranks(node_group, size, in_node.data(), world_group,
                              made->node_ranks_.data());
    std::sort(made->node_ranks_.begin(), made->node_ranks_.end());
    MPI_Group_free(&node_group);
    MPI_Group_free(&world_group);
    MPI_Comm_free(&node);
  }
  ShareStampClock(*made);
  world = made;
  std::atexit(&MpiWorld::EndAtExit);
  return world;
}

bool MpiWorld::SharesNode(int rank) const {
  return std::binary_search(node_ranks_.begin(), node_ranks_.end(), rank);
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
