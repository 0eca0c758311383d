#pragma once
// Runs one TaskSpec that arrived from the coordinator: finds its kernel,
// validates its parameters and its payload's offsets against the arena, runs
// it on views of the arena (no copy) and fills a TaskResult with the compute
// stamps. A bad task is answered with TASK_FAILED and a message, never a crash.
// With a WorkerBoard (shm transport) it marks the task it runs there, so the
// coordinator knows which task a dead or stuck worker was running.
// One per worker process; not synchronised.

#include "proto/parlab.pb.h"
#include "shared/shm/arena.h"
#include "shared/shm/worker_board.h"

namespace parlab {

class TaskExecutor {
 public:
  TaskExecutor(ArenaView arena, int worker, WorkerBoard* board = nullptr)
      : arena_(arena), worker_(worker), board_(board) {}

  // Fills `result` (id, worker, status, checksum, flops, bytes, compute stamps).
  // A command task (task.has_command()) runs its program instead of a kernel
  // (shared/platform/command_task.h).
  void Execute(const pb::TaskSpec& task, pb::TaskResult& result) const;

  // A descriptor that turns readable when a running command must be killed
  // (the worker's control socket: a shutdown, or the coordinator gone).
  void set_cancel_fd(int fd) { cancel_fd_ = fd; }

 private:
  ArenaView arena_;
  int worker_;
  WorkerBoard* board_;
  int cancel_fd_ = -1;
};

}  // namespace parlab
