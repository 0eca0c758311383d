#pragma once
// MpiInbox: the frames one peer sends this process on kMpiTagFrame, taken by
// a receive posted ahead of them into a buffer kept for the session, and the
// sending side of the same rule (SendFrame, IsendFrame).
//
// Why posted: Open MPI (ob1 over vader) matches a message that meets a posted
// receive as it arrives and copies it once, into place. Found by MPI_Iprobe
// instead, the message first goes to the unexpected queue and every empty
// probe runs the matching engine again. Measured on a 2-vCPU EPYC, Open MPI
// 4.1, rank 0 ↔ rank 1 on one host, medians of 20,000 round trips with the
// same 9 B / 80 B messages: Isend + Iprobe(any) + Irecv + Test on one side and
// Iprobe + Recv + Send on the other 0.67 µs; a posted Irecv + Testsome, and
// Testany + Send, 0.37 µs; MPI_Send/MPI_Recv on both sides (osu_latency's
// loop: its blocking Recv is posted before the message comes) 0.34 µs.
//
// A posted receive has a fixed size and MPI cuts a longer message (an
// error, the data lost), so a frame longer than kMpiPostedFrameBytes travels
// in two messages: an empty one on kMpiTagFrame (no frame is empty: each sets
// one field of the Frame oneof) that says "the frame follows", and the frame on
// kMpiTagLargeFrame, found by probe. Both sides send that way through the
// functions below.
//
// Not thread-safe: driven from the MPI thread only (MPI_THREAD_FUNNELED).

#include <mpi.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "shared/mpi/mpi_world.h"
#include "shared/status.h"

namespace parlab {

// The size of every posted frame receive: a task or result frame of up to
// ~1000 tasks fits (about 55 bytes a task); longer ones, and long error
// messages, take the two-message way.
constexpr int kMpiPostedFrameBytes = 64 * 1024;

class MpiInbox {
 public:
  // Frames from world rank `peer`. Posts nothing yet.
  explicit MpiInbox(int peer);
  MpiInbox(MpiInbox&&) = default;
  MpiInbox& operator=(MpiInbox&&) = default;

  int peer() const { return peer_; }

  // Posts the receive of the next frame into `request`, which the caller
  // keeps (so that it can test many inboxes' requests in one MPI_Testsome)
  // and must complete or Cancel before this inbox goes. With MPI_ANY_TAG
  // the receive takes whatever the peer sends next — the caller reads the
  // tag before Take, and must not have it posted while a message it takes
  // apart (a large frame's second half, the input) may come.
  Status Post(MPI_Request& request, int tag = kMpiTagFrame);

  // The frame whose posted receive completed with `status`: its bytes, valid
  // until the next Post or Take. A large frame is received here, by probe;
  // `between_looks` runs between fruitless probes and ends the wait when it
  // is not OK (the coordinator watches for a dead rank there).
  Result<std::string_view> Take(const MPI_Status& status,
                                const std::function<Status()>& between_looks);

  // Whether `frame` (from Take) came whole in the posted receive, not as a
  // large frame's second message, received later.
  bool InPostedReceive(std::string_view frame) const { return frame.data() == posted_.get(); }

  // Withdraws a posted receive (a no-op on MPI_REQUEST_NULL). A frame that
  // had already arrived into it is dropped.
  static void Cancel(MPI_Request& request);

 private:
  int peer_;
  std::unique_ptr<char[]> posted_;  // kMpiPostedFrameBytes; does not move with the inbox
  std::string large_;               // the last large frame
};

// Sends `bytes` as one frame to `peer` and returns when they may be reused.
Status SendFrame(int peer, std::string_view bytes);

// Starts sending `bytes` as one frame to `peer`: `bytes` must stay put until
// both requests complete. `announce` is MPI_REQUEST_NULL unless the frame is
// large (it is then the empty message, `request` the frame's).
Status IsendFrame(int peer, std::string_view bytes, MPI_Request& request, MPI_Request& announce);

}  // namespace parlab
