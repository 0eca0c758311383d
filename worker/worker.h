#pragma once
// parlab-worker's life: attach the job's segment, say hello on the control
// socket, then take task frames from the request ring, run them and put the
// answers in the response ring, until the ring is closed (shutdown), the
// control socket says Shutdown or reaches its end (the coordinator is gone),
// or something read cannot be trusted (then an Error frame, and exit).

#include <string>

#include "shared/shm/adaptive_wait.h"
#include "shared/shm/wait_policy.h"
#include "shared/status.h"

namespace parlab {

struct WorkerOptions {
  std::string segment;  // "/parlab-<pid>-<hex>"
  int index = 0;        // which rings are ours
  int control_fd = 3;   // inherited socket to the coordinator
  WaitPolicy wait = WaitPolicy::kAdaptive;
  WaitSetting wait_setting;     // --waiters, --cores, --wake-ns: what adaptive weighs
  int64_t heartbeat_ms = 1000;  // how often the heartbeat thread beats
  bool uds = false;             // --transport uds: tasks on a socket, not in rings
  int data_fd = -1;             // uds: the inherited data socket
  std::string plugin;           // a kernel plugin to load first (absolute path), or ""
  bool mpi = false;             // --transport mpi: a rank of an mpirun job (mpi_worker.h)
};

// Parses argv: --segment NAME --index I [--control-fd FD] [--wait POLICY]
// [--waiters N --cores N --wake-ns NS] [--heartbeat-ms MS] [--plugin PATH], or for the uds
// transport --transport uds --index I --data-fd FD [--control-fd FD] [--heartbeat-ms MS]
// [--plugin PATH], or for the mpi transport --transport mpi [--wait POLICY] (the rank says
// the rest). The segment's header
// says where our rings, our board and the doorbell are. The error names the
// bad argument.
Result<WorkerOptions> ParseWorkerOptions(int argc, char** argv);

// Loads the plugin if there is one (before the hello: a worker that cannot
// run the job's kernel never says it is ready), then runs until shutdown.
// OK for an orderly end; an error status otherwise
// (already reported to the coordinator when the socket still works).
Status RunWorker(const WorkerOptions& options);

// The shm worker's life alone (no plugin, no error frame): attach the
// segment, take frames from the ring until it closes. With control_fd < 0
// there is no control socket (an MPI rank on the shm path of mpi+shm,
// mpi_worker.h): no hello and no heartbeats there, and only the rings'
// closing stops it.
Status RunShmWorker(const WorkerOptions& options);

}  // namespace parlab
