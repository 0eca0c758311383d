// ChildProcess after the start: waiting, killing, reaping. Starting is in
// child_start.cc.
#include "shared/platform/child_process.h"

#include <signal.h>
#include <sys/wait.h>

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

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_),
      ended_(other.ended_),
      output_(std::move(other.output_)),
      input_(std::move(other.input_)) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (running()) WaitOrKill(0);
    pid_ = other.pid_;
    ended_ = other.ended_;
    output_ = std::move(other.output_);
    input_ = std::move(other.input_);
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
  if (r != pid_) return std::nullopt;
  pid_ = -1;
  ended_ = Decode(status);
  return ended_;
}

ExitStatus ChildProcess::Wait() {
  if (!running()) return ended_.value_or(ExitStatus{});
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  ended_ = Decode(status);
  return *ended_;
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
  if (!running()) return ended_.value_or(ExitStatus{});
  kill(pid_, SIGKILL);
  return Wait();
}

void ChildProcess::Signal(int signal) const {
  if (running()) kill(pid_, signal);
}

std::string SignalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);  // glibc >= 2.32
  if (abbreviation == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbreviation;
}

}  // namespace parlab
