#pragma once
// ChildProcess: the one way parlab starts another process — a parlab-worker,
// `perf stat`, python3, or this executable again — and the owner that makes
// sure none outlives us. RunSubprocess (subprocess.h) is the
// run-to-completion use of it.
//
// Start() is fork+exec rather than posix_spawn, because the child must set
// PR_SET_PDEATHSIG(SIGKILL) and check that its parent is still the one that
// forked it (the parent may have died before the prctl) — no worker outlives
// its coordinator — and posix_spawn has no step for that. Everything the
// child needs (argv, environment, program path) is built before fork; after
// it only async-signal-safe calls run, so starting a child from a process
// that already runs threads (OpenMP pools, OpenBLAS, Asio) is safe (GCC bug
// 60035 is about a forked copy that *keeps* running those pools; an exec'd
// child starts fresh). A failed exec is reported through a close-on-exec pipe
// as the errno, so a missing program is an error value, not exit code 127.
//
// PR_SET_PDEATHSIG fires when the *thread* that started the child ends, not
// the process: start children from a thread that lives as long as they do.
//
// Move-only RAII: the destructor kills (SIGKILL) and reaps a child still
// running, so no orphan and no zombie is left. Not synchronised: one owner.

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/platform/unique_fd.h"
#include "shared/status.h"

namespace parlab {

struct ExitStatus {
  bool exited = false;  // true: exit_code is valid; false: killed by term_signal
  int exit_code = 0;
  int term_signal = 0;
  bool success() const { return exited && exit_code == 0; }
  std::string ToString() const;  // "exited with code 3", "killed by signal 9 (Killed)"
};

// Where a child's stdin comes from.
enum class ChildInput {
  kNull,     // /dev/null: end of input at once
  kInherit,  // ours
  kPipe,     // a pipe written through ChildProcess::input_fd(); CloseInput() ends it
};

// Where a child's stdout or stderr goes.
enum class ChildOutput {
  kInherit,  // ours
  kDiscard,  // /dev/null
  kCapture,  // a pipe read through ChildProcess::output_fd(); stdout and stderr
             // both captured share one pipe, interleaved as they were written
};

// What to start.
struct ChildSpec {
  // argv[0] names the program: a path, or a name without '/' looked up on
  // $PATH. Must not be empty.
  std::vector<std::string> argv;
  // The file to execute when it is not argv[0] (SelfExecutableLink(): this
  // very binary, while argv[0] shows its name).
  std::string path;
  // Variables set (a value) or removed (nullopt) in a copy of our environment.
  std::map<std::string, std::optional<std::string>> env;
  // inherit_fds[i] becomes the child's descriptor 3 + i (a control socket, a
  // data socket, an answer pipe); every other descriptor of ours is closed on
  // exec (parlab opens its own with CLOEXEC). At most 16.
  std::vector<int> inherit_fds;
  ChildInput stdin_from = ChildInput::kNull;
  ChildOutput stdout_to = ChildOutput::kInherit;
  ChildOutput stderr_to = ChildOutput::kInherit;
};

class ChildProcess {
 public:
  // Starts `spec`. Errors: kInvalidArgument (empty argv, too many fds),
  // kNotFound (no such program, or not executable), kResourceExhausted (fork,
  // pipe), kInternal (exec failed otherwise).
  static Result<ChildProcess> Start(const ChildSpec& spec);
  // Forks without exec: the child runs `body` and _exits with what it returns
  // (it never returns into the caller). It shares our descriptors and
  // MAP_SHARED mappings — what a peer of a measured round trip or a test needs.
  // If we may run threads, `body` must make only async-signal-safe calls (no
  // malloc, no locks: another thread may have held them at the fork). The
  // forked child holds copies of all our descriptors until it ends — among
  // them the pipe through which another thread's Start() waits for its exec —
  // so do not Fork while another thread Starts.
  static Result<ChildProcess> Fork(const std::function<int()>& body);

  ChildProcess() = default;  // no process
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // The read end of the captured output; -1 when nothing is captured. Read it
  // with ReadToEnd (unique_fd.h) before waiting: a child blocked on a full
  // pipe never ends.
  int output_fd() const { return output_.get(); }
  // The write end of the child's stdin pipe; -1 unless ChildInput::kPipe.
  // Writing to a child that has exited raises SIGPIPE: ignore it around the
  // writes when the child may end early.
  int input_fd() const { return input_.get(); }
  // Closes our end of the stdin pipe: the child reads end of input.
  void CloseInput() { input_.Reset(); }

  // Non-blocking: the exit status if the child has ended just now (and reaps
  // it); nullopt while it runs, and once it has been reaped.
  std::optional<ExitStatus> TryReap();
  // Blocks until the child ends (no deadline: for a child in the foreground,
  // which Ctrl-C reaches too); reaps. The exit status, as WaitOrKill's.
  ExitStatus Wait();
  // Waits up to timeout_ms for the child to end, then SIGKILLs it; reaps.
  // The exit status (the one already taken when it was reaped before).
  ExitStatus WaitOrKill(int timeout_ms);
  void Signal(int signal) const;

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;                   // -1 once reaped
  std::optional<ExitStatus> ended_;  // set when reaped
  UniqueFd output_;
  UniqueFd input_;
};

// "SIGKILL", "SIGABRT", ...; "signal N" for one without a name.
std::string SignalName(int signal);

}  // namespace parlab
