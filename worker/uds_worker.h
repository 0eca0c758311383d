#pragma once
// parlab-worker's life on the uds transport (--transport uds --data-fd 4):
// the same protobuf task and result frames as the shared-memory rings, but
// over a Unix stream socket, with the payload bytes copied through it.
//
// Per task the coordinator writes [frame][input bytes] and the worker answers
// [result frame][output bytes]; a frame carries exactly one task (uds does not
// chunk). The worker is synchronous: it blocks in poll() on the data socket
// and the control socket, reads a whole task, runs it on its own buffer
// (reused across tasks, grown only when a task needs more) and writes its
// answer. The coordinator side is asynchronous
// (coordinator/runtime/uds_transport.h), which is what keeps a large answer
// and a large next task from deadlocking.
//
// It stops on the data socket's end of stream, on Shutdown or end of stream on
// the control socket; a frame or payload size it cannot trust is an error
// (reported on the control socket by RunWorker), never an allocation of
// whatever the peer claimed. One thread; the process is the owner.

#include "shared/status.h"
#include "worker/worker.h"

namespace parlab {

// Precondition: options.uds and options.data_fd is an open stream socket.
Status RunUdsWorker(const WorkerOptions& options);

}  // namespace parlab
