#include "shared/platform/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace parlab {
namespace {

ExitStatus Decode(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) {
    s.exited = true;
    s.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    s.term_signal = WTERMSIG(status);
  }
  return s;
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (exited) return "exited with code " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")";
}

Result<ChildProcess> ChildProcess::Spawn(const std::string& path,
                                         const std::vector<std::string>& args, int inherit_fd) {
  return Spawn(path, args, inherit_fd >= 0 ? std::vector<int>{inherit_fd} : std::vector<int>{});
}

Result<ChildProcess> ChildProcess::Spawn(const std::string& path,
                                         const std::vector<std::string>& args,
                                         const std::vector<int>& inherit_fds) {
  constexpr int kFirstInherited = 3;
  constexpr size_t kMaxInherited = 16;
  if (inherit_fds.size() > kMaxInherited) {
    return InvalidArgument("a child inherits at most " + std::to_string(kMaxInherited) +
                           " descriptors, asked for " + std::to_string(inherit_fds.size()));
  }
  if (access(path.c_str(), X_OK) != 0) {
    return NotFound("cannot execute " + path + ": " + std::strerror(errno));
  }
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(path);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const int count = static_cast<int>(inherit_fds.size());
  int sources[kMaxInherited];
  int moved[kMaxInherited];
  for (int i = 0; i < count; ++i) sources[i] = inherit_fds[static_cast<size_t>(i)];

  const pid_t pid = fork();
  if (pid < 0) return ResourceExhausted(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) _exit(126);
    if (getppid() != parent) _exit(126);  // the parent died before the prctl took effect
    // Two steps, so that a source that already sits on another one's target
    // (fd 4 to become 3 while fd 3 is to become 4) is not overwritten: first
    // copy every source above the targets (the copies close on exec), then
    // dup2 each copy onto its target, which clears FD_CLOEXEC there.
    for (int i = 0; i < count; ++i) {
      moved[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, kFirstInherited + count);
      if (moved[i] < 0) _exit(126);
    }
    for (int i = 0; i < count; ++i) {
      if (dup2(moved[i], kFirstInherited + i) < 0) _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (running()) WaitOrKill(0);
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (running()) WaitOrKill(0);
}

std::optional<ExitStatus> ChildProcess::TryReap() {
  if (!running()) return std::nullopt;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return Decode(status);
  }
  return std::nullopt;
}

ExitStatus ChildProcess::WaitOrKill(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (running()) {
    if (std::optional<ExitStatus> s = TryReap()) return *s;
    if (std::chrono::steady_clock::now() >= deadline) break;
    // Polling keeps this free of SIGCHLD handlers (Asio owns that signal in
    // the coordinator); a shutdown is not a hot path.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!running()) return ExitStatus{};
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return Decode(status);
}

void ChildProcess::Signal(int signal) const {
  if (running()) kill(pid_, signal);
}

std::string SignalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);  // glibc >= 2.32
  if (abbreviation == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbreviation;
}

std::string ExecutableDir() {
  char buffer[4096];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return ".";
  std::string path(buffer, static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace parlab
