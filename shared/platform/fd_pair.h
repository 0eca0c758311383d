#pragma once
// Two connected descriptors, owned: a socket pair (the coordinator's control
// link to a worker, the uds transport) or a pipe (a child's answer). Both ends
// are close-on-exec, so a child started by ChildProcess gets only the ends it
// is handed through ChildSpec::inherit_fds — a stray inherited copy of a
// write end would keep the reader from ever seeing end of stream.
// Thread-safe (no shared state).

#include <utility>

#include "shared/platform/unique_fd.h"
#include "shared/status.h"

namespace parlab {

enum class SocketType {
  kStream,     // SOCK_STREAM: a byte stream (frames carry their own lengths)
  kSeqPacket,  // SOCK_SEQPACKET: messages with boundaries, connection-oriented
};

// A connected pair of AF_UNIX sockets, both ends able to read and write.
// Errors: kResourceExhausted (out of descriptors or memory).
Result<std::pair<UniqueFd, UniqueFd>> MakeSocketPair(SocketType type = SocketType::kStream);

// A pipe: first the read end, then the write end.
// Errors: kResourceExhausted (out of descriptors).
Result<std::pair<UniqueFd, UniqueFd>> MakePipe();

}  // namespace parlab
