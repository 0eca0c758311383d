#include "shared/platform/subprocess.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "shared/clock.h"
#include "shared/platform/unique_fd.h"

namespace parlab {
namespace {

std::string LastLine(const std::string& output) {
  const size_t end = output.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const size_t start = output.rfind('\n', end);
  const size_t from = start == std::string::npos ? 0 : start + 1;
  return output.substr(from, end - from + 1);
}

}  // namespace

Result<std::string> RunSubprocess(ChildSpec spec, double timeout_s) {
  spec.stdout_to = ChildOutput::kCapture;
  spec.stderr_to = ChildOutput::kCapture;
  const std::string name = spec.argv.empty() ? "" : spec.argv[0];
  const int64_t deadline_ns = NowNs() + static_cast<int64_t>(timeout_s * 1e9);
  PARLAB_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Start(spec));
  Result<std::string> out = ReadToEnd(child.output_fd(), deadline_ns);
  if (!out.ok()) {
    child.WaitOrKill(0);
    if (out.status().code() != StatusCode::kDeadlineExceeded) return out.status();
    return DeadlineExceeded(fmt::format("{} did not finish within {:.0f} s", name, timeout_s));
  }
  // End of output usually means the child has exited; one that closed its
  // output and runs on gets the rest of its time, then is killed.
  const int64_t left_ms = std::max<int64_t>(0, (deadline_ns - NowNs()) / 1'000'000);
  const ExitStatus status =
      child.WaitOrKill(static_cast<int>(std::min<int64_t>(left_ms, INT32_MAX)));
  if (status.success()) return out;
  if (!status.exited) {
    return Internal(fmt::format("{} was {}", name, status.ToString()));
  }
  return Internal(
      fmt::format("{} exited with code {}: {}", name, status.exit_code, LastLine(*out)));
}

Result<std::string> RunSubprocess(std::vector<std::string> argv, double timeout_s) {
  ChildSpec spec;
  spec.argv = std::move(argv);
  return RunSubprocess(std::move(spec), timeout_s);
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

}  // namespace parlab
