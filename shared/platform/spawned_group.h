#pragma once
// SpawnedGroup: a command started as the leader of a new process group, for
// command tasks (`parlab run --cmd`). Unlike ChildProcess (fork+exec, for
// parlab's own workers and helpers) it is made for starting thousands of
// short programs: like glibc's posix_spawn it clones without copying the
// page tables (CLONE_VM|CLONE_VFORK) and returns once the program is exec'd,
// so its cost does not grow with the starting process's memory.
//
// It is not posix_spawn itself because the child must die with parlab:
// between clone and exec it sets PR_SET_PDEATHSIG(SIGKILL) and checks that
// its parent is still there, which posix_spawn has no step for. A SIGKILLed
// coordinator then takes its commands with it — in threads mode directly, in
// procs mode through its workers, which die with it the same way
// (ChildProcess) and take theirs. PR_SET_PDEATHSIG fires when the *thread*
// that spawned the command ends: spawn from a thread that waits for the
// command (RunCommandTask does). It reaches the leader only; what the
// command started itself is left to it (as with any parent that is killed).
//
// The child gets our environment, its stdin from /dev/null, and stdout and
// stderr on the descriptors given; signal dispositions are back to default
// (but for ignored signals parlab does not ignore for itself) and its signal
// mask empty. Its own process group lets a timeout or a halt kill
// everything it started (KillGroup), not just the leader.
//
// A pidfd (Linux 5.3+) says when it has ended, so a waiter can poll it with
// the pipes of its output and a cancel descriptor. Move-only RAII: the
// destructor kills the group (SIGKILL) and reaps a child still running. One
// owner; different SpawnedGroups may live on different threads.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "shared/platform/unique_fd.h"
#include "shared/status.h"

namespace parlab {

struct SpawnedExit {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
};

class SpawnedGroup {
 public:
  // Starts argv[0] (looked up on $PATH when it has no '/') with `stdout_fd`
  // and `stderr_fd` as its descriptors 1 and 2. Errors: kInvalidArgument (an
  // empty argv), kNotFound (no such program or not executable: what a shell
  // reports with 127), kResourceExhausted (no process or descriptor left).
  static Result<SpawnedGroup> Spawn(const std::vector<std::string>& argv, int stdout_fd,
                                    int stderr_fd);

  SpawnedGroup() = default;
  SpawnedGroup(SpawnedGroup&& other) noexcept;
  SpawnedGroup& operator=(SpawnedGroup&& other) noexcept;
  SpawnedGroup(const SpawnedGroup&) = delete;
  SpawnedGroup& operator=(const SpawnedGroup&) = delete;
  ~SpawnedGroup();

  pid_t pid() const { return pid_; }
  // Readable once the child has ended; -1 where pidfds are missing (then
  // poll with a timeout and TryReap).
  int exit_fd() const { return pidfd_.get(); }
  // Non-blocking: the status if the child has ended (and reaps it).
  std::optional<SpawnedExit> TryReap();
  // SIGKILL to the whole process group, then reaps the leader.
  SpawnedExit KillGroup();

 private:
  pid_t pid_ = -1;  // -1 once reaped
  UniqueFd pidfd_;
};

}  // namespace parlab
