#pragma once
// Runs the real `parlab` binary (path in $PARLAB_BIN, set by CMake) for the
// integration tests of the CLI: start it, read what it printed, wait for its
// exit code. Header-only test support, not a unit of its own.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace parlab {

class ParlabProcess {
 public:
  // Starts `parlab args...` with stdout and stderr into one pipe.
  explicit ParlabProcess(const std::vector<std::string>& args) {
    const char* bin = std::getenv("PARLAB_BIN");
    const std::string path = bin != nullptr ? bin : "parlab";
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      dup2(fds[1], STDERR_FILENO);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(path.c_str()));
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(path.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_fd_ = fds[0];
  }
  ParlabProcess(const ParlabProcess&) = delete;
  ParlabProcess& operator=(const ParlabProcess&) = delete;
  ~ParlabProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }

  pid_t pid() const { return pid_; }

  // Reads the output to its end, then reaps: the exit code, or 128 + signal.
  int Wait() {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = read(out_fd_, buffer, sizeof(buffer))) > 0)
      output_.append(buffer, static_cast<size_t>(n));
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Kills with `signal` and reaps (the output is not read).
  void Kill(int signal) {
    kill(pid_, signal);
    waitpid(pid_, nullptr, 0);
    reaped_ = true;
  }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool reaped_ = false;
  std::string output_;
};

// Runs to the end; {exit code, output}.
inline std::pair<int, std::string> RunParlab(const std::vector<std::string>& args) {
  ParlabProcess process(args);
  const int code = process.Wait();
  return {code, process.output()};
}

// What a finished `parlab` printed, stdout and stderr apart.
struct ParlabRun {
  int exit_code = -1;  // -1 when it could not run or was killed
  std::string out;
  std::string err;
};

// Runs `env $PARLAB_BIN args` through the shell — `args` are shell words,
// `env` NAME=VALUE assignments — and captures stdout and stderr apart.
inline ParlabRun RunParlabShell(const std::string& args, const std::string& env = "") {
  ParlabRun ran;
  const char* bin = std::getenv("PARLAB_BIN");
  if (bin == nullptr) {
    ran.err = "PARLAB_BIN is not set";
    return ran;
  }
  char err_path[] = "/tmp/parlab-test-stderr-XXXXXX";
  const int err_fd = mkstemp(err_path);
  if (err_fd < 0) return ran;
  close(err_fd);
  const std::string command = env + " " + bin + " " + args + " 2>" + err_path;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe != nullptr) {
    std::array<char, 4096> buffer;
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) ran.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::stringstream err;
  err << std::ifstream(err_path).rdbuf();
  ran.err += err.str();
  unlink(err_path);
  return ran;
}

}  // namespace parlab
