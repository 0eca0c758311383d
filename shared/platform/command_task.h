#pragma once
// Runs one command task where it was handed over — in a worker process
// (procs) or on a thread of the coordinator (threads, seq) — so both modes
// start processes the same way and their cost can be compared.
//
// The program is spawned (SpawnedGroup: clone and exec as posix_spawn, its own process group,
// dying with the thread that spawned it).
// Its stdout and stderr come back through pipes and travel in the answer
// while each stays within task.inline_limit(); a stream that outgrows it is
// written on to task.stdout_path()/stderr_path() instead, so an output of
// any size works. With keep_files (--output-dir) the program writes to those
// files directly. The answer holds the exit code or the signal, the sizes,
// the last bytes of each stream (for logs) and the stamps of its phases:
// t_compute_start (the task taken), t_spawn, t_spawned (the spawn
// returned: cloned and exec'd), t_exited (its end seen), t_compute_end (its
// status reaped, its output gathered).
//
// timeout_ms > 0: past it the process group is killed (SIGKILL) and the task
// is TASK_TIMED_OUT. `cancel_fd` >= 0 becoming readable (a shutdown on a
// worker's control socket, a closed pipe) kills the group at once: the task
// is answered TASK_FAILED, "cancelled". Safe to call from several threads at
// once, each with its own result.

#include "proto/parlab.pb.h"

namespace parlab {

// The bytes of each stream kept in the log and the failure summary.
inline constexpr size_t kCommandTailBytes = 512;

void RunCommandTask(const pb::CommandTask& task, int cancel_fd, pb::TaskResult& result);

// For a worker process that runs commands: Ctrl-C (SIGINT to the terminal's
// foreground process group) is left to the coordinator, which then stops the
// worker through its control socket, and the worker kills its command. A
// worker that died of the SIGINT itself would leave its command running on,
// in a process group of its own that the terminal does not signal. The
// commands get SIGINT's default back (SpawnedGroup). Idempotent.
void LeaveInterruptsToCoordinator();

}  // namespace parlab
