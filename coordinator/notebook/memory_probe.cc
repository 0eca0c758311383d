#include "coordinator/notebook/memory_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "coordinator/notebook/memory_residency.h"
#include "coordinator/runtime/local_task.h"
#include "shared/platform/child_process.h"
#include "shared/task_record.h"

namespace parlab {
namespace {

constexpr int kProbeTimeoutMs = 300'000;

Result<int64_t> Rss(const char* field) {
  std::optional<int64_t> bytes = ReadStatusBytes(field);
  if (!bytes) return Internal(std::string("cannot read ") + field + " from /proc/self/status");
  return *bytes;
}

Status WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t wrote = write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return Internal(std::string("memory probe: write: ") + strerror(errno));
    done += static_cast<size_t>(wrote);
  }
  return Status::Ok();
}

}  // namespace

Status RunConvProbe(const KernelParams& conv, int threads, int fd) {
  Result<int64_t> baseline = Rss("VmRSS");
  if (!baseline.ok()) return baseline.status();
  KernelParams params = conv;
  params.set_kernel("conv");
  Result<LocalTask> task = LocalTask::Prepare(params, /*executors=*/1);
  if (!task.ok()) return task.status();
  Result<int64_t> buffers = Rss("VmRSS");
  if (!buffers.ok()) return buffers.status();
  KernelContext context;
  context.threads = threads;
  TaskRecord record;
  task->Run(0, context, record);
  Result<int64_t> peak = Rss("VmHWM");
  if (!peak.ok()) return peak.status();
  std::ostringstream out;
  out << "baseline_rss_bytes " << *baseline << "\nbuffers_rss_bytes " << *buffers
      << "\npeak_rss_bytes " << *peak << "\nchecksum " << record.checksum << "\n";
  return WriteAll(fd, out.str());
}

Result<ConvPeak> MeasureConvPeakInChild(const std::string& parlab_path, const KernelParams& conv,
                                        int threads) {
  if (access(parlab_path.c_str(), X_OK) != 0) {
    return NotFound("cannot run " + parlab_path + " to measure in a child: " + strerror(errno));
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("pipe2: ") + strerror(errno));
  const std::vector<std::string> args = {"memory",     "--probe-conv",
                                         "--batch",    std::to_string(conv.batch()),
                                         "--channels", std::to_string(conv.channels()),
                                         "--height",   std::to_string(conv.height()),
                                         "--width",    std::to_string(conv.width()),
                                         "--layers",   conv.layers(),
                                         "--threads",  std::to_string(threads)};
  Result<ChildProcess> child = ChildProcess::Spawn(parlab_path, args, fds[1]);
  close(fds[1]);
  if (!child.ok()) {
    close(fds[0]);
    return child.status();
  }
  std::string answer;
  char buffer[1024];
  for (;;) {
    const ssize_t got = read(fds[0], buffer, sizeof(buffer));
    if (got > 0) {
      answer.append(buffer, static_cast<size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  const ExitStatus status = child->WaitOrKill(kProbeTimeoutMs);
  if (!status.exited || status.exit_code != 0) {
    return Internal("the memory probe (" + parlab_path + " memory --probe-conv) " +
                    status.ToString());
  }
  std::map<std::string, double> values;
  std::istringstream lines(answer);
  std::string key;
  double value = 0;
  while (lines >> key >> value) values[key] = value;
  for (const char* needed : {"baseline_rss_bytes", "buffers_rss_bytes", "peak_rss_bytes"}) {
    if (values.count(needed) == 0) {
      return Internal(std::string("the memory probe's answer lacks ") + needed + ": '" + answer +
                      "'");
    }
  }
  ConvPeak peak;
  peak.baseline_rss_bytes = static_cast<int64_t>(values["baseline_rss_bytes"]);
  peak.buffers_rss_bytes = static_cast<int64_t>(values["buffers_rss_bytes"]);
  peak.peak_rss_bytes = static_cast<int64_t>(values["peak_rss_bytes"]);
  peak.threads = threads;
  return peak;
}

std::string ParlabPath() {
  if (const char* path = std::getenv("PARLAB_BIN"); path != nullptr && *path != '\0') return path;
  return ExecutableDir() + "/parlab";
}

}  // namespace parlab
