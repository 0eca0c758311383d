#include "shared/platform/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "shared/clock.h"

extern char** environ;

namespace parlab {
namespace {

// A file descriptor that closes itself.
struct Fd {
  int fd = -1;
  explicit Fd(int value) : fd(value) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

std::vector<std::string> Environment(const Subprocess& run) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (run.env.count(name) == 0) out.push_back(entry);
  }
  for (const auto& [name, value] : run.env) {
    if (value.has_value()) out.push_back(name + "=" + *value);
  }
  return out;
}

std::string LastLine(const std::string& output) {
  size_t end = output.find_last_not_of("\n");
  if (end == std::string::npos) return "";
  const size_t start = output.rfind('\n', end);
  return output.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Result<std::string> RunSubprocess(const Subprocess& run) {
  if (run.argv.empty()) return InvalidArgument("subprocess: no program");
  std::vector<std::string> argv_storage = run.argv;
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = Environment(run);
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("pipe2: ") + strerror(errno));
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int spawn_error = posix_spawnp(&pid, run.path.empty() ? argv[0] : run.path.c_str(),
                                       &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error == ENOENT) return NotFound(run.argv[0] + ": no such program");
  if (spawn_error != 0) {
    return Internal(fmt::format("cannot start {}: {}", run.argv[0], strerror(spawn_error)));
  }
  write_end.Close();  // so EOF comes when the child exits

  const int64_t deadline_ns = NowNs() + static_cast<int64_t>(run.timeout_s * 1e9);
  std::string out;
  char buffer[4096];
  for (;;) {
    const int64_t left_ms = (deadline_ns - NowNs()) / 1'000'000;
    if (left_ms <= 0) {
      kill(pid, SIGKILL);
      WaitFor(pid);
      return DeadlineExceeded(
          fmt::format("{} did not finish within {:.0f} s", run.argv[0], run.timeout_s));
    }
    pollfd p{read_end.fd, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t got = read(read_end.fd, buffer, sizeof(buffer));
    if (got > 0) {
      out.append(buffer, static_cast<size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  const int status = WaitFor(pid);
  if (WIFSIGNALED(status)) {
    return Internal(fmt::format("{} was killed by signal {} ({})", run.argv[0], WTERMSIG(status),
                                strsignal(WTERMSIG(status))));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // 127: posix_spawnp could not exec it (the shell's convention).
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      return NotFound(run.argv[0] + ": cannot be run");
    }
    return Internal(
        fmt::format("{} exited with code {}: {}", run.argv[0], WEXITSTATUS(status), LastLine(out)));
  }
  return out;
}

Result<std::string> RunSubprocess(std::vector<std::string> argv, double timeout_s) {
  Subprocess run;
  run.argv = std::move(argv);
  run.timeout_s = timeout_s;
  return RunSubprocess(run);
}

std::string LastJsonLine(const std::string& output) {
  size_t end = output.size();
  while (end > 0) {
    const size_t start = output.rfind('\n', end - 1);
    const size_t from = start == std::string::npos ? 0 : start + 1;
    const std::string line = output.substr(from, end - from);
    if (!line.empty() && line.front() == '{') return line;
    if (start == std::string::npos) break;
    end = start;
  }
  return "";
}

Result<std::string> SelfExecutable() {
  char exe[4096];
  const ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (length <= 0) return Internal(std::string("readlink /proc/self/exe: ") + strerror(errno));
  return std::string(exe, static_cast<size_t>(length));
}

}  // namespace parlab
