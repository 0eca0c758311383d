#pragma once
// Runs the real `parlab` binary (path in $PARLAB_BIN, set by CMake) for the
// integration tests of the CLI: start it, read what it printed, wait for its
// exit code. Header-only test support, not a unit of its own.

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "shared/platform/child_process.h"
#include "shared/platform/unique_fd.h"

namespace parlab {

class ParlabProcess {
 public:
  // Starts `parlab args...` with stdout and stderr into one pipe. A start
  // that fails is reported by Wait() as exit code 127, with the reason as
  // the output.
  explicit ParlabProcess(const std::vector<std::string>& args) {
    const char* bin = std::getenv("PARLAB_BIN");
    ChildSpec spec;
    spec.argv = {bin != nullptr ? bin : "parlab"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.stdout_to = ChildOutput::kCapture;
    spec.stderr_to = ChildOutput::kCapture;
    Result<ChildProcess> started = ChildProcess::Start(spec);
    if (!started.ok()) {
      output_ = started.status().ToString();
      return;
    }
    child_ = std::move(started).value();
    pid_ = child_.pid();
  }

  // Still the child's pid after it is reaped: the pid is not reused before
  // that, so segments named after it are the child's.
  pid_t pid() const { return pid_; }

  // Reads the output to its end, then reaps: the exit code, or 128 + signal.
  int Wait() {
    if (pid_ < 0) return 127;
    if (Result<std::string> out = ReadToEnd(child_.output_fd(), /*deadline_ns=*/-1); out.ok()) {
      output_ = std::move(out).value();
    }
    const ExitStatus status = child_.Wait();
    return status.exited ? status.exit_code : 128 + status.term_signal;
  }
  // Kills with `signal` and reaps (the output is not read).
  void Kill(int signal) {
    child_.Signal(signal);
    child_.Wait();
  }
  const std::string& output() const { return output_; }

 private:
  ChildProcess child_;  // killed and reaped by its destructor if still running
  pid_t pid_ = -1;
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
  ChildSpec shell;
  shell.argv = {"/bin/sh", "-c", env + " " + bin + " " + args + " 2>" + err_path};
  shell.stdout_to = ChildOutput::kCapture;
  if (Result<ChildProcess> child = ChildProcess::Start(shell); child.ok()) {
    if (Result<std::string> out = ReadToEnd(child->output_fd(), -1); out.ok()) ran.out = *out;
    const ExitStatus status = child->Wait();
    ran.exit_code = status.exited ? status.exit_code : -1;
  } else {
    ran.err = child.status().ToString() + "\n";
  }
  std::stringstream err;
  err << std::ifstream(err_path).rdbuf();
  ran.err += err.str();
  unlink(err_path);
  return ran;
}

}  // namespace parlab
