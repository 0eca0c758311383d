#include "coordinator/notebook/memory_probe.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "coordinator/notebook/memory_residency.h"
#include "coordinator/runtime/local_task.h"
#include "shared/clock.h"
#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/fd_pair.h"
#include "shared/platform/unique_fd.h"
#include "shared/task_record.h"
#include "shared/wire.h"  // WriteAll

namespace parlab {
namespace {

constexpr int kProbeTimeoutMs = 300'000;

Result<int64_t> Rss(const char* field) {
  std::optional<int64_t> bytes = ReadStatusBytes(field);
  if (!bytes) return Internal(std::string("cannot read ") + field + " from /proc/self/status");
  return *bytes;
}

}  // namespace

Status RunConvProbe(const KernelParams& conv, int threads, int fd) {
  PARLAB_ASSIGN_OR_RETURN(int64_t baseline, Rss("VmRSS"));
  KernelParams params = conv;
  params.set_kernel("conv");
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(params, /*executors=*/1));
  PARLAB_ASSIGN_OR_RETURN(int64_t buffers, Rss("VmRSS"));
  KernelContext context;
  context.threads = threads;
  TaskRecord record;
  task.Run(0, context, record);
  PARLAB_ASSIGN_OR_RETURN(int64_t peak, Rss("VmHWM"));
  std::ostringstream out;
  out << "baseline_rss_bytes " << baseline << "\nbuffers_rss_bytes " << buffers
      << "\npeak_rss_bytes " << peak << "\nchecksum " << record.checksum << "\n";
  const std::string text = out.str();
  if (Status wrote = WriteAll(fd, text.data(), text.size()); !wrote.ok()) {
    return Internal("memory probe: " + wrote.message());
  }
  return Status::Ok();
}

Result<ConvPeak> MeasureConvPeakInChild(const std::string& parlab_path, const KernelParams& conv,
                                        int threads) {
  PARLAB_ASSIGN_OR_RETURN(auto pipe, MakePipe());
  ChildSpec spec;
  spec.argv = {parlab_path,
               "memory",
               "--probe-conv",
               "--batch",
               std::to_string(conv.batch()),
               "--channels",
               std::to_string(conv.channels()),
               "--height",
               std::to_string(conv.height()),
               "--width",
               std::to_string(conv.width()),
               "--layers",
               conv.layers(),
               "--threads",
               std::to_string(threads)};
  spec.inherit_fds = {pipe.second.get()};  // the child's kProbeFd (memory_command.cc)
  Result<ChildProcess> child = ChildProcess::Start(spec);
  if (!child.ok()) {
    return Status(child.status().code(), "cannot run " + parlab_path +
                                             " to measure in a child: " + child.status().message());
  }
  pipe.second.Reset();  // ours closed, so end of stream comes when the child's is
  const int64_t deadline_ns = NowNs() + int64_t{kProbeTimeoutMs} * 1'000'000;
  Result<std::string> answer = ReadToEnd(pipe.first.get(), deadline_ns);
  const ExitStatus status = child->WaitOrKill(answer.ok() ? kProbeTimeoutMs : 0);
  if (!answer.ok()) {
    return Status(answer.status().code(),
                  "the memory probe (" + parlab_path +
                      " memory --probe-conv) did not answer: " + answer.status().message());
  }
  if (!status.success()) {
    return Internal("the memory probe (" + parlab_path + " memory --probe-conv) " +
                    status.ToString());
  }
  std::map<std::string, double> values;
  std::istringstream lines(*answer);
  std::string key;
  double value = 0;
  while (lines >> key >> value) values[key] = value;
  for (const char* needed : {"baseline_rss_bytes", "buffers_rss_bytes", "peak_rss_bytes"}) {
    if (values.count(needed) == 0) {
      return Internal(std::string("the memory probe's answer lacks ") + needed + ": '" + *answer +
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
