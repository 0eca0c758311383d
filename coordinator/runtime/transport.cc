#include "coordinator/runtime/transport.h"

#include "coordinator/runtime/shm_transport.h"
#include "coordinator/runtime/uds_transport.h"
#ifdef PARLAB_HAVE_MPI
#include "coordinator/runtime/mpi_shm_transport.h"
#include "coordinator/runtime/mpi_transport.h"
#endif

namespace parlab {

// One shard is the one thread every transport is driven from.
Status Transport::SetShards(const std::vector<int>& /*shard_of_worker*/, int shards) {
  if (shards <= 1) return Status::Ok();
  return FailedPrecondition("this transport is driven by one dispatcher thread only");
}

Result<int> Transport::CollectShard(int shard) {
  if (shard != 0) return FailedPrecondition("this transport has one shard");
  return Collect();
}

Result<bool> Transport::WaitShard(int shard, int64_t idle_since_ns) {
  if (shard != 0) return FailedPrecondition("this transport has one shard");
  return Wait(idle_since_ns);
}

std::unique_ptr<Transport> MakeTransport(const pb::JobSpec& job) {
  switch (job.transport()) {
    case pb::TRANSPORT_UNSPECIFIED:
    case pb::SHM:
      return std::make_unique<ShmTransport>(job);
    case pb::UDS:
      return std::make_unique<UdsTransport>(job);
#ifdef PARLAB_HAVE_MPI
    case pb::MPI:
      if (job.mpi_shm()) return std::make_unique<MpiShmTransport>(job);
      return std::make_unique<MpiTransport>(job);
#endif
    default:
      return nullptr;  // ValidateJob refuses it; ProcsMode::Start says so too
  }
}

}  // namespace parlab
