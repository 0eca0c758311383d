#include "coordinator/observe/gnuplot.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace parlab {
namespace {

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

std::optional<std::string> FindGnuplot() {
  if (const char* configured = std::getenv("PARLAB_GNUPLOT"); configured != nullptr) {
    if (access(configured, X_OK) == 0) return std::string(configured);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::istringstream directories(path != nullptr ? path : "/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) continue;
    const std::string candidate = directory + "/gnuplot";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

Status RunGnuplot(const std::string& program, const std::string& script,
                  const std::string& output_path) {
  std::error_code ignored;
  std::filesystem::remove(output_path, ignored);  // a stale file must not pass for a new one
  // gnuplot that dies early must not take parlab with it through SIGPIPE.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  sigaction(SIGPIPE, &ignore, &previous);
  FILE* pipe = popen((ShellQuote(program) + " -").c_str(), "w");
  bool written = false;
  int status = -1;
  if (pipe != nullptr) {
    written = std::fwrite(script.data(), 1, script.size(), pipe) == script.size();
    status = pclose(pipe);
  }
  sigaction(SIGPIPE, &previous, nullptr);
  if (pipe == nullptr) return Internal("could not start " + program + " to draw " + output_path);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = "did not end normally";
    if (status != -1 && WIFEXITED(status)) {
      how = "exited with code " + std::to_string(WEXITSTATUS(status));
    } else if (status != -1 && WIFSIGNALED(status)) {
      how = "was killed by signal " + std::to_string(WTERMSIG(status));
    }
    return Internal(program + " " + how + " and did not draw " + output_path +
                    " (its messages, if any, are above)");
  }
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(output_path, size_error);
  if (size_error || size == 0) {
    return Internal(program + " ended without writing " + output_path +
                    (written ? "" : " (it did not read the whole script)"));
  }
  return Status::Ok();
}

}  // namespace parlab
