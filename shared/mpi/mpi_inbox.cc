#include "shared/mpi/mpi_inbox.h"

#include <string>

namespace parlab {
namespace {

// The most a large frame may be: what a peer could sensibly send, so a wrong
// count is refused instead of allocated.
constexpr int kMaxFrameBytes = 64 << 20;

std::string FromRank(int peer) { return " from rank " + std::to_string(peer); }

}  // namespace

MpiInbox::MpiInbox(int peer) : peer_(peer), posted_(new char[kMpiPostedFrameBytes]) {}

Status MpiInbox::Post(MPI_Request& request, int tag) {
  if (int rc = MPI_Irecv(posted_.get(), kMpiPostedFrameBytes, MPI_BYTE, peer_, tag, MPI_COMM_WORLD,
                         &request);
      rc != MPI_SUCCESS) {
    return MpiError("posting the receive of a frame" + FromRank(peer_), rc);
  }
  return Status::Ok();
}

Result<std::string_view> MpiInbox::Take(const MPI_Status& status,
                                        const std::function<Status()>& between_looks) {
  int bytes = 0;
  if (int rc = MPI_Get_count(&status, MPI_BYTE, &bytes); rc != MPI_SUCCESS) {
    return MpiError("a frame" + FromRank(peer_), rc);
  }
  if (bytes > 0) return std::string_view(posted_.get(), static_cast<size_t>(bytes));
  // The empty message: the frame follows on kMpiTagLargeFrame.
  MPI_Status probed;
  for (int found = 0; !found;) {
    if (int rc = MPI_Iprobe(peer_, kMpiTagLargeFrame, MPI_COMM_WORLD, &found, &probed);
        rc != MPI_SUCCESS) {
      return MpiError("a large frame" + FromRank(peer_), rc);
    }
    if (!found) PARLAB_RETURN_IF_ERROR(between_looks());
  }
  MPI_Get_count(&probed, MPI_BYTE, &bytes);
  if (bytes <= 0 || bytes > kMaxFrameBytes) {
    return InvalidArgument("rank " + std::to_string(peer_) + " sent a frame of " +
                           std::to_string(bytes) + " bytes");
  }
  large_.resize(static_cast<size_t>(bytes));
  if (int rc = MPI_Recv(large_.data(), bytes, MPI_BYTE, peer_, kMpiTagLargeFrame, MPI_COMM_WORLD,
                        MPI_STATUS_IGNORE);
      rc != MPI_SUCCESS) {
    return MpiError("a large frame" + FromRank(peer_), rc);
  }
  return std::string_view(large_);
}

void MpiInbox::Cancel(MPI_Request& request) {
  if (request == MPI_REQUEST_NULL) return;
  MPI_Cancel(&request);
  // Completes at once after MPI_Cancel, whether the cancel or a message won.
  MPI_Wait(&request, MPI_STATUS_IGNORE);
}

Status SendFrame(int peer, std::string_view bytes) {
  const bool large = bytes.size() > static_cast<size_t>(kMpiPostedFrameBytes);
  if (large) {
    if (int rc = MPI_Send(nullptr, 0, MPI_BYTE, peer, kMpiTagFrame, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("sending a frame to rank " + std::to_string(peer), rc);
    }
  }
  if (int rc = MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, peer,
                        large ? kMpiTagLargeFrame : kMpiTagFrame, MPI_COMM_WORLD);
      rc != MPI_SUCCESS) {
    return MpiError("sending a frame to rank " + std::to_string(peer), rc);
  }
  return Status::Ok();
}

Status IsendFrame(int peer, std::string_view bytes, MPI_Request& request, MPI_Request& announce) {
  announce = MPI_REQUEST_NULL;
  const bool large = bytes.size() > static_cast<size_t>(kMpiPostedFrameBytes);
  if (large) {
    if (int rc = MPI_Isend(nullptr, 0, MPI_BYTE, peer, kMpiTagFrame, MPI_COMM_WORLD, &announce);
        rc != MPI_SUCCESS) {
      return MpiError("sending a frame to rank " + std::to_string(peer), rc);
    }
  }
  if (int rc = MPI_Isend(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, peer,
                         large ? kMpiTagLargeFrame : kMpiTagFrame, MPI_COMM_WORLD, &request);
      rc != MPI_SUCCESS) {
    return MpiError("sending a frame to rank " + std::to_string(peer), rc);
  }
  return Status::Ok();
}

}  // namespace parlab
