#include "coordinator/bench_gemm_child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace parlab {
namespace {

// A file descriptor that closes itself.
struct Fd {
  int fd = -1;
  explicit Fd(int value) : fd(value) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Runs this executable with `args` and NAME=VALUE (`assignment`) added to or
// replacing `name` in a copy of our environment; returns what it printed on
// stdout. /proc/self/exe is resolved here, not in the child, so argv[0] is a
// real path.
Result<std::string> RunSelf(const std::vector<std::string>& args, const std::string& name,
                            const std::string& value) {
  char exe[4096];
  const ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (length <= 0) return Internal(std::string("readlink /proc/self/exe: ") + strerror(errno));
  exe[length] = '\0';

  std::vector<std::string> argv_storage = {exe};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string assignment = name + "=" + value;
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, (name + "=").c_str(), name.size() + 1) != 0) envp.push_back(*e);
  }
  envp.push_back(assignment.data());
  envp.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("pipe2: ") + strerror(errno));
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copy: the child's stdout is the pipe.
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDOUT_FILENO);
  pid_t pid = -1;
  const int spawn_error = posix_spawn(&pid, exe, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    return Internal(std::string("cannot start ") + exe + ": " + strerror(spawn_error));
  }
  close(write_end.fd);
  write_end.fd = -1;  // so EOF comes when the child exits

  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t got = read(read_end.fd, buffer, sizeof(buffer));
    if (got > 0) {
      out.append(buffer, static_cast<size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Internal(std::string("waitpid: ") + strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    return Internal(fmt::format("the child with {} was killed by signal {} ({})", assignment,
                                WTERMSIG(status), strsignal(WTERMSIG(status))));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Internal(
        fmt::format("the child with {} exited with code {}", assignment, WEXITSTATUS(status)));
  }
  return out;
}

std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int value : values) out += (out.empty() ? "" : ",") + std::to_string(value);
  return out;
}

}  // namespace

Result<OpenBlasRun> MeasureOpenBlasInChild(const std::vector<int>& sizes,
                                           const std::vector<int>& threads, int trials,
                                           const std::string& coretype) {
  Result<std::string> out =
      RunSelf({"bench", "gemm", "--openblas-only", "--sizes", JoinInts(sizes), "--threads",
               JoinInts(threads), "--trials", std::to_string(trials)},
              "OPENBLAS_CORETYPE", coretype);
  if (!out.ok()) return out.status();
  Result<OpenBlasRun> run = ParseOpenBlasRunJson(*out);
  if (!run.ok()) {
    return Internal("the OPENBLAS_CORETYPE=" + coretype +
                    " child's answer: " + run.status().message());
  }
  return run;
}

}  // namespace parlab
