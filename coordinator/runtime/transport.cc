#include "coordinator/runtime/transport.h"

#include "coordinator/runtime/shm_transport.h"
#include "coordinator/runtime/uds_transport.h"

namespace parlab {

std::unique_ptr<Transport> MakeTransport(const pb::JobSpec& job) {
  switch (job.transport()) {
    case pb::TRANSPORT_UNSPECIFIED:
    case pb::SHM:
      return std::make_unique<ShmTransport>(job);
    case pb::UDS:
      return std::make_unique<UdsTransport>(job);
    default:
      return nullptr;  // ValidateJob refuses it; ProcsMode::Start says so too
  }
}

}  // namespace parlab
