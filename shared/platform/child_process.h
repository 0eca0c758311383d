#pragma once
// ChildProcess: a fork+exec'd program (a parlab-worker) that dies with us.
// The child gets PR_SET_PDEATHSIG(SIGKILL) between fork and exec, and checks
// that its parent is still the one that forked it (the parent may have died
// before the prctl), so no worker outlives its coordinator. Only
// async-signal-safe calls run between fork and exec, so forking from a
// process that already runs threads (OpenMP pools, Asio) is safe.
//
// Move-only RAII: the destructor kills (SIGKILL) and reaps a child still
// running. Not synchronised: one owner.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

struct ExitStatus {
  bool exited = false;  // true: exit_code is valid; false: killed by term_signal
  int exit_code = 0;
  int term_signal = 0;
  std::string ToString() const;  // "exited with code 3", "killed by signal 9 (Killed)"
};

class ChildProcess {
 public:
  // Starts `path` with `args` (argv[1..]). `inherit_fd`, when >= 0, is
  // handed to the child as file descriptor 3; every other descriptor is
  // closed on exec (parlab opens its own with CLOEXEC).
  static Result<ChildProcess> Spawn(const std::string& path, const std::vector<std::string>& args,
                                    int inherit_fd);
  // The same with several descriptors: inherit_fds[i] becomes the child's
  // descriptor 3 + i (a control socket and a data socket, say). At most 16.
  static Result<ChildProcess> Spawn(const std::string& path, const std::vector<std::string>& args,
                                    const std::vector<int>& inherit_fds);

  ChildProcess() = default;  // no process
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Non-blocking: the exit status if the child has ended (and reaps it).
  std::optional<ExitStatus> TryReap();
  // Waits up to timeout_ms for the child to end, then SIGKILLs it; reaps.
  ExitStatus WaitOrKill(int timeout_ms);
  void Signal(int signal) const;

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;  // -1 once reaped
};

// "SIGKILL", "SIGABRT", ...; "signal N" for one without a name.
std::string SignalName(int signal);

// The directory of the running executable (from /proc/self/exe).
std::string ExecutableDir();

}  // namespace parlab
