#include "coordinator/observe/gnuplot.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/unique_fd.h"
#include "shared/wire.h"  // WriteAll

namespace parlab {

std::optional<std::string> FindGnuplot() {
  if (const char* configured = std::getenv("PARLAB_GNUPLOT"); configured != nullptr) {
    if (access(configured, X_OK) == 0) return std::string(configured);
    return std::nullopt;
  }
  return FindOnPath("gnuplot");
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
  ChildSpec spec;
  spec.argv = {program, "-"};  // the script on stdin
  spec.stdin_from = ChildInput::kPipe;
  Result<ChildProcess> child = ChildProcess::Start(spec);
  bool written = false;
  ExitStatus status;
  if (child.ok()) {
    written = WriteAll(child->input_fd(), script.data(), script.size()).ok();
    child->CloseInput();  // end of script: gnuplot draws and exits
    status = child->Wait();
  }
  sigaction(SIGPIPE, &previous, nullptr);
  if (!child.ok()) {
    return Internal("could not start " + program + " to draw " + output_path + ": " +
                    child.status().message());
  }
  if (!status.success()) {
    return Internal(program + " " + status.ToString() + " and did not draw " + output_path +
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
