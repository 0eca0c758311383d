#include "shared/platform/spawned_group.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace parlab {
namespace {

SpawnedExit Decode(int status) {
  SpawnedExit out;
  if (WIFEXITED(status)) {
    out.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
  }
  return out;
}

// posix_spawn's two attribute objects, destroyed on every path.
struct SpawnAttributes {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnAttributes() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

Result<SpawnedGroup> SpawnedGroup::Spawn(const std::vector<std::string>& argv, int stdout_fd,
                                         int stderr_fd) {
  if (argv.empty() || argv[0].empty()) return InvalidArgument("a command needs a program");
  std::vector<char*> pointers;
  pointers.reserve(argv.size() + 1);
  for (const std::string& word : argv) pointers.push_back(const_cast<char*>(word.c_str()));
  pointers.push_back(nullptr);

  SpawnAttributes a;
  // Its own process group (pgid = its pid), so a timeout kills what it started too.
  posix_spawnattr_setpgroup(&a.attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&a.attr, &none);
  // What parlab ignores or handles (SIGPIPE, SIGINT, SIGTERM through Asio)
  // is the program's default again.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(&a.attr, &defaults);
  posix_spawnattr_setflags(
      &a.attr,
      static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
  posix_spawn_file_actions_addopen(&a.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&a.actions, stdout_fd, 1);
  posix_spawn_file_actions_adddup2(&a.actions, stderr_fd, 2);

  pid_t pid = -1;
  const int error = posix_spawnp(&pid, pointers[0], &a.actions, &a.attr, pointers.data(), environ);
  if (error == ENOENT || error == EACCES || error == ENOEXEC || error == ENOTDIR) {
    return NotFound(argv[0] + ": " + std::strerror(error));
  }
  if (error != 0) return ResourceExhausted("posix_spawn " + argv[0] + ": " + std::strerror(error));
  SpawnedGroup group;
  group.pid_ = pid;
  group.pidfd_.Reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  return group;
}

SpawnedGroup::SpawnedGroup(SpawnedGroup&& other) noexcept
    : pid_(other.pid_), pidfd_(std::move(other.pidfd_)) {
  other.pid_ = -1;
}

SpawnedGroup& SpawnedGroup::operator=(SpawnedGroup&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) KillGroup();
    pid_ = other.pid_;
    pidfd_ = std::move(other.pidfd_);
    other.pid_ = -1;
  }
  return *this;
}

SpawnedGroup::~SpawnedGroup() {
  if (pid_ > 0) KillGroup();
}

std::optional<SpawnedExit> SpawnedGroup::TryReap() {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid_, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  if (r != pid_) return std::nullopt;
  pid_ = -1;
  pidfd_.Reset();
  return Decode(status);
}

SpawnedExit SpawnedGroup::KillGroup() {
  if (pid_ <= 0) return {};
  // The group is named by the leader's pid, which stays ours until reaped.
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  pidfd_.Reset();
  return Decode(status);
}

}  // namespace parlab
