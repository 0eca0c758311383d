#pragma once
// Runs the tasks that arrive from the coordinator. The facts every task of a
// job shares (pb::JobConstants: kernel, parameters, payload, threads) are
// checked once, by Prepare: the kernel is known, its parameters validate,
// the payload's offsets are aligned and inside the arena and large enough.
// Each task then costs only its run: Run takes its id (and its own input,
// for kinds of task that have one), runs the kernel on views of the arena
// (no copy) and appends its answer with the compute stamps to a ResultFrame
// (through shared/task_frame.h's writer).
// A bad job or task is answered TASK_FAILED with a message, never a crash.
// With a WorkerBoard (shm transport) it marks the task it runs there, so the
// coordinator knows which task a dead or stuck worker was running.
// One per worker process; not synchronised.

#include <atomic>
#include <cstdint>
#include <string>

#include "proto/parlab.pb.h"
#include "shared/bytes.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/arena.h"
#include "shared/shm/worker_board.h"
#include "shared/task_frame.h"

namespace parlab {

class TaskExecutor {
 public:
  TaskExecutor(ArenaView arena, int worker, WorkerBoard* board = nullptr)
      : arena_(arena), worker_(worker), board_(board) {}

  // Checks `constants` and keeps what the tasks need. Not OK: why; every task
  // run before the next Prepare then fails with that message.
  Status Prepare(const pb::JobConstants& constants);
  // The version of the constants prepared last (0: none yet).
  uint32_t version() const { return version_; }

  // Runs task `id` with the prepared constants and appends its answer, with
  // its compute stamps and why it failed if it did, to `answers`. `fault` is done
  // while it runs (testing only). `input` is the task's own TaskInput, or
  // nullptr for a uniform job; its kernel parameters, when set, replace the
  // constants' for this task (checked: same kernel, within the payload).
  // A command task (input->has_command()) runs its program instead of the
  // kernel (shared/platform/command_task.h) and adds its outcome too.
  void Run(uint64_t id, pb::FaultAction fault, const pb::TaskInput* input,
           ResultFrameWriter& answers);

  // A whole TaskFrame: checks it against itself and the constants prepared
  // (not OK: a corrupt request, which ends the worker), then runs its tasks
  // in order into `answers`, started afresh (it keeps its arrays' room), with
  // the frame's stamps: `dequeued_ns`, and as decoded the first task's
  // compute start — one clock read fewer on every round trip, and the
  // checks and this prologue count as decode, as SplitPhases counts
  // anything before the compute, never as compute; as result_enqueued the
  // last task's compute end (the caller encodes and publishes right after).
  // `done`, when given, counts the tasks run (its one writer; a heartbeat
  // thread reads it).
  Status RunFrame(const pb::TaskFrame& tasks, int64_t dequeued_ns, pb::ResultFrame& answers,
                  std::atomic<uint64_t>* done = nullptr);

  // One self-contained task (tests, the task_executor fuzzer): Prepare with
  // its kernel, payload and threads, then Run, into `result`.
  void Execute(const pb::TaskSpec& task, pb::TaskResult& result);

  // A descriptor that turns readable when a running command must be killed
  // (the worker's control socket: a shutdown, or the coordinator gone).
  void set_cancel_fd(int fd) { cancel_fd_ = fd; }

 private:
  Status CheckOwnParams(const pb::KernelParams& params) const;
  void RunCommand(uint64_t id, pb::FaultAction fault, const pb::CommandTask& command,
                  ResultFrameWriter& answers);

  ArenaView arena_;
  int worker_;
  WorkerBoard* board_;
  int cancel_fd_ = -1;
  // What Prepare kept.
  uint32_t version_ = 0;
  const Kernel* kernel_ = nullptr;  // nullptr: not prepared, or refused (refused_ says why)
  pb::KernelParams params_;
  ConstBytes input_;
  MutableBytes output_;
  KernelContext context_;
  std::string refused_ = "no job constants received before the first task";
};

}  // namespace parlab
