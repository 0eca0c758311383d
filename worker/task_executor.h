#pragma once
// Runs one TaskSpec that arrived from the coordinator: finds its kernel,
// validates its parameters and its payload's offsets against the arena, runs
// it on views of the arena (no copy) and fills a TaskResult with the compute
// stamps. A bad task is answered with TASK_FAILED and a message, never a crash.
// One per worker process; not synchronised.

#include "proto/parlab.pb.h"
#include "shared/shm/arena.h"

namespace parlab {

class TaskExecutor {
 public:
  TaskExecutor(ArenaView arena, int worker) : arena_(arena), worker_(worker) {}

  // Fills `result` (id, worker, status, checksum, flops, bytes, compute stamps).
  void Execute(const pb::TaskSpec& task, pb::TaskResult& result) const;

 private:
  ArenaView arena_;
  int worker_;
};

}  // namespace parlab
