#include "coordinator/runtime/job_spec.h"

#include <google/protobuf/util/message_differencer.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "coordinator/runtime/failure_policy.h"
#include "coordinator/runtime/mpi_launch.h"
#include "coordinator/runtime/resource_check.h"
#include "coordinator/runtime/uds_transport.h"
#include "shared/kernels/kernel.h"
#include "shared/kernels/plugin_loader.h"
#include "shared/platform/affinity.h"

namespace parlab {
namespace {

using google::protobuf::util::MessageDifferencer;

struct ModeNameEntry {
  pb::Mode mode;
  std::string_view name;
};
constexpr ModeNameEntry kModeNames[] = {
    {pb::SEQ, "seq"},   {pb::THREADS, "threads"}, {pb::GIL, "gil"},
    {pb::BLAS, "blas"}, {pb::PROCS, "procs"},     {pb::HYBRID, "hybrid"},
};

template <typename T>
Status CheckRange(std::string_view field, T value, T low, T high) {
  if (value >= low && value <= high) return Status::Ok();
  std::ostringstream out;
  out << field << " must be " << low << ".." << high << ", got " << value;
  return InvalidArgument(out.str());
}

// What a job on --transport mpi cannot ask for: MPI cannot replace a rank,
// so whatever would replace one has nothing to do (README, "When a rank dies").
Status ValidateMpi(const pb::JobSpec& job) {
  if (!MpiTransportBuilt()) return InvalidArgument("--transport mpi: " + HowToEnableMpi());
  if (job.task_timeout_ms() > 0) {
    return InvalidArgument(
        "--task-timeout does not apply to --transport mpi: a rank cannot be killed and "
        "replaced under MPI");
  }
  const pb::FaultAction fault = job.has_fault() ? job.fault().action() : pb::FAULT_NONE;
  if (fault == pb::FAULT_HANG || fault == pb::FAULT_STOP) {
    return InvalidArgument(
        "--inject-fault hang or stop would hang a --transport mpi job for good: a rank cannot "
        "be killed and replaced under MPI (kill, abort, segv, exit and corrupt end the job)");
  }
  return Status::Ok();
}

// A job's task list: one task per entry, of the job's workload, on the
// job's input. The input is made once per job from the job's own parameters
// and every task reads it (the arena and the uds payload are sized per job,
// runtime/segment_size.cc), so a task may change only what leaves the
// input and output sizes alone — and, where there is an input, nothing at
// all that would make it another.
Status ValidateTaskList(const pb::JobSpec& job, const Kernel& kernel) {
  if (job.task_kernels_size() == 0) return Status::Ok();
  if (job.tasks() != job.task_kernels_size()) {
    return InvalidArgument("tasks must be the length of the task list, " +
                           std::to_string(job.task_kernels_size()) + ", got " +
                           std::to_string(job.tasks()));
  }
  const KernelParams& base = job.kernel();
  const size_t input_bytes = kernel.InputBytes(base);
  const size_t output_bytes = kernel.OutputBytes(base);
  for (int i = 0; i < job.task_kernels_size(); ++i) {
    const KernelParams& task = job.task_kernels(i);
    const std::string name = "task " + std::to_string(i);
    if (task.kernel() != base.kernel()) {
      return InvalidArgument(name + ": workload '" + task.kernel() + "' is not the job's, '" +
                             base.kernel() + "': one workload per job");
    }
    if (Status s = kernel.Validate(task); !s.ok())
      return InvalidArgument(name + ": " + s.message());
    if (kernel.InputBytes(task) != input_bytes || kernel.OutputBytes(task) != output_bytes ||
        (input_bytes > 0 && !MessageDifferencer::Equals(task, base))) {
      return InvalidArgument(
          name + ": " + base.kernel() +
          " reads an input made once for the job, so its tasks cannot change its size or "
          "data; give each size a job of its own (a grid's sizes) instead");
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelParams& TaskKernel(const pb::JobSpec& job, uint64_t index) {
  if (job.task_kernels_size() == 0) return job.kernel();
  return job.task_kernels(static_cast<int>(index % static_cast<uint64_t>(job.task_kernels_size())));
}

std::string_view ModeName(pb::Mode mode) {
  for (const auto& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "unspecified";
}

Result<pb::Mode> ParseMode(std::string_view name) {
  for (const auto& entry : kModeNames) {
    if (entry.name == name) return entry.mode;
  }
  return InvalidArgument("unknown mode '" + std::string(name) +
                         "'; known: seq, threads, gil, blas, procs, hybrid");
}

Result<std::vector<pb::Mode>> ParseModeList(std::string_view list) {
  std::vector<pb::Mode> modes;
  std::stringstream stream{std::string(list)};
  std::string item;
  while (std::getline(stream, item, ',')) {
    PARLAB_ASSIGN_OR_RETURN(pb::Mode mode, ParseMode(item));
    modes.push_back(mode);
  }
  if (modes.empty()) return InvalidArgument("--modes is empty; give e.g. seq,threads,gil");
  return modes;
}

std::vector<pb::Mode> AllModes() {
  return {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS, pb::BLAS, pb::HYBRID};
}

pb::JobSpec DefaultJob() {
  pb::JobSpec job;
  *job.mutable_kernel() = FindKernel("loop")->Defaults();
  job.set_mode(pb::SEQ);
  job.set_workers(2);
  job.set_threads(1);
  job.set_tasks(0);
  job.set_warmup(1);
  job.set_trials(5);
  job.set_chunk(1);
  job.set_inflight(2);              // 2 in flight: a worker never waits for its next task
  job.set_switch_interval_ms(5.0);  // CPython's sys.getswitchinterval()
  job.set_transport(pb::SHM);
  job.set_wait(pb::ADAPTIVE);
  job.set_max_attempts(kDefaultMaxAttempts);
  job.set_heartbeat_timeout_ms(kDefaultHeartbeatTimeoutMs);
  return job;
}

int ParallelUnits(const pb::JobSpec& job) {
  switch (job.mode()) {
    case pb::SEQ:
      return 1;
    case pb::BLAS:
      return job.threads();
    case pb::HYBRID:
      return job.workers() * job.threads();
    default:
      return job.workers();
  }
}

int DispatchersFor(const pb::JobSpec& job) {
  if (job.dispatchers() != kAutoDispatchers) return std::max(1, job.dispatchers());
  Result<std::vector<int>> cpus = AllowedCpus();
  const int cores = cpus.ok() ? static_cast<int>(cpus->size()) : 1;
  return std::clamp(cores - ParallelUnits(job), 1, std::max(1, job.workers()));
}

namespace {

// --dispatchers: a number of threads up to one per worker, or auto, and only
// where several can work: the shm transport's rings (one reader each), tasks
// of a workload (a command job's feed is one thread's).
Status ValidateDispatchers(const pb::JobSpec& job, bool in_workers) {
  const int32_t dispatchers = job.dispatchers();
  if (dispatchers == 0 || dispatchers == 1) return Status::Ok();
  if (dispatchers != kAutoDispatchers && (dispatchers < 0 || dispatchers > job.workers())) {
    return InvalidArgument("dispatchers must be 1.." + std::to_string(job.workers()) +
                           " (at most one per worker) or auto, got " + std::to_string(dispatchers));
  }
  if (!in_workers) return Status::Ok();  // only the worker-process modes dispatch
  if (job.transport() != pb::SHM) {
    return InvalidArgument(
        "dispatchers: several dispatcher threads need --transport shm, got " +
        (job.mpi_shm() ? std::string("mpi+shm") : pb::Transport_Name(job.transport())) +
        "; use --dispatchers 1");
  }
  if (job.has_command()) {
    return InvalidArgument(
        "dispatchers: a command job's tasks are dispatched by one thread; use --dispatchers 1");
  }
  return Status::Ok();
}

}  // namespace

Status LoadJobPlugin(const pb::JobSpec& job) {
  if (job.plugin().empty()) return Status::Ok();
  // Workers start in another directory, and dlopen searches the library
  // path for a name without a slash: only an absolute path means one file.
  if (job.plugin().front() != '/') {
    return InvalidArgument("plugin must be an absolute path, got '" + job.plugin() + "'");
  }
  Result<std::vector<std::string>> kernels = LoadPlugin(job.plugin());
  if (!kernels.ok()) return InvalidArgument("plugin: " + kernels.status().message());
  return Status::Ok();
}

Status ValidateJob(const pb::JobSpec& job) {
  if (job.mode() == pb::MODE_UNSPECIFIED) return InvalidArgument("mode is not set");
  PARLAB_RETURN_IF_ERROR(CheckRange("workers", job.workers(), 1, static_cast<int>(kMaxWorkers)));
  PARLAB_RETURN_IF_ERROR(CheckRange("threads", job.threads(), 1, kMaxThreads));
  PARLAB_RETURN_IF_ERROR(CheckRange<int64_t>("tasks", job.tasks(), 1, kMaxTasks));
  PARLAB_RETURN_IF_ERROR(CheckRange("warmup", job.warmup(), 0, 100000));
  PARLAB_RETURN_IF_ERROR(CheckRange("trials", job.trials(), 1, 100000));
  PARLAB_RETURN_IF_ERROR(CheckRange("inflight", job.inflight(), 1, 1024));
  PARLAB_RETURN_IF_ERROR(CheckRange("chunk", job.chunk(), 0, kMaxChunk));
  PARLAB_RETURN_IF_ERROR(ValidateFailurePolicy(job));
  if (!(job.switch_interval_ms() > 0.0 && job.switch_interval_ms() <= 10000.0)) {
    std::ostringstream out;
    out << "switch-interval must be in (0, 10000] ms, got " << job.switch_interval_ms();
    return InvalidArgument(out.str());
  }
  PARLAB_RETURN_IF_ERROR(LoadJobPlugin(job));
  const Kernel* kernel = FindKernel(job.kernel().kernel());
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + job.kernel().kernel() +
                           "'; known: " + KernelNames());
  }
  PARLAB_RETURN_IF_ERROR(kernel->Validate(job.kernel()));
  PARLAB_RETURN_IF_ERROR(ValidateTaskList(job, *kernel));
  const bool in_workers = job.mode() == pb::PROCS || job.mode() == pb::HYBRID;
  if (in_workers && job.transport() == pb::MPI) PARLAB_RETURN_IF_ERROR(ValidateMpi(job));
  if (job.mpi_shm() && job.transport() != pb::MPI) {
    return InvalidArgument(
        "mpi_shm: the shm path of mpi+shm needs transport MPI "
        "(--transport mpi+shm), got " +
        pb::Transport_Name(job.transport()));
  }
  if (in_workers && job.transport() != pb::SHM && job.transport() != pb::UDS &&
      job.transport() != pb::MPI && job.transport() != pb::TRANSPORT_UNSPECIFIED) {
    return InvalidArgument("transport " + pb::Transport_Name(job.transport()) +
                           " is not available in this build: use shm, uds or mpi");
  }
  PARLAB_RETURN_IF_ERROR(ValidateDispatchers(job, in_workers));
  if (in_workers && job.transport() == pb::UDS) {
    PARLAB_RETURN_IF_ERROR(UdsTransport::CheckPayload(kernel->InputBytes(job.kernel()),
                                                      kernel->OutputBytes(job.kernel())));
  }
  // Last, as it reads the machine: memory and /dev/shm for what the mode allocates.
  return CheckResources({job}, ReadMachineResources());
}

}  // namespace parlab
