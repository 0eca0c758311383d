#include "coordinator/runtime/resource_check.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdio>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/segment_size.h"
#include "shared/kernels/kernel.h"
#include "shared/task_record.h"

namespace parlab {
namespace {

constexpr const char* kShmDir = "/dev/shm";
// Below this the records are not worth a word in the error message.
constexpr double kRecordsWorthNaming = 64.0 * 1024 * 1024;

// "matmul --n 20000": the workload and the size flags the user can change
// (every set field of KernelParams but the name and the seed).
std::string DescribeWorkload(const pb::KernelParams& params) {
  std::string out = params.kernel();
  const google::protobuf::Reflection* reflection = params.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(params, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->name() == "kernel" || field->name() == "seed") continue;
    out += " --" + field->name() + " ";
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      out += reflection->GetString(params, field);
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      out += std::to_string(reflection->GetInt64(params, field));
    }
  }
  return out;
}

std::string DescribeJob(const pb::JobSpec& job) {
  std::string out = DescribeWorkload(job.kernel()) + " in " + std::string(ModeName(job.mode()));
  if (job.mode() != pb::SEQ && job.mode() != pb::BLAS) {
    out += " with " + std::to_string(job.workers()) + " workers";
  }
  return out;
}

}  // namespace

std::string HumanBytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 5) {
    bytes /= 1024.0;
    ++unit;
  }
  char text[64];
  if (unit == 0) {
    std::snprintf(text, sizeof(text), "%.0f bytes", bytes);
  } else {
    std::snprintf(text, sizeof(text), bytes < 100 ? "%.2f %s" : "%.0f %s", bytes, units[unit]);
  }
  return text;
}

MachineResources ReadMachineResources() {
  MachineResources machine;
  machine.available_memory_bytes = AvailableMemoryBytes();
  machine.shm = FreeBytesOn(kShmDir);
  return machine;
}

Result<JobFootprint> FootprintOf(const pb::JobSpec& job) {
  const Kernel* kernel = FindKernel(job.kernel().kernel());
  if (kernel == nullptr) return InvalidArgument("unknown workload '" + job.kernel().kernel() + "'");
  const uint64_t input = kernel->InputBytes(job.kernel());
  const uint64_t output = kernel->OutputBytes(job.kernel());
  const auto workers = static_cast<uint64_t>(std::max(1, job.workers()));
  const std::string outputs =
      std::to_string(workers) + " outputs × " + HumanBytes(static_cast<double>(output));
  JobFootprint footprint;
  switch (job.mode()) {
    case pb::SEQ:
    case pb::BLAS:
      footprint.memory_bytes = input + output;
      footprint.detail = "input " + HumanBytes(static_cast<double>(input)) + " + output " +
                         HumanBytes(static_cast<double>(output));
      break;
    case pb::THREADS:
    case pb::GIL:
      footprint.memory_bytes = input + workers * output;
      footprint.detail = "input " + HumanBytes(static_cast<double>(input)) + " + " + outputs;
      break;
    case pb::PROCS:
    case pb::HYBRID:
      if (job.transport() == pb::MPI) {
        // This host holds rank 0's input and output; the ranks' copies are
        // their hosts' (on one host: the workers' copies too).
        footprint.memory_bytes = input * (1 + workers) + 2 * workers * output;
        footprint.detail = "input " + HumanBytes(static_cast<double>(input)) + " × (1 + " +
                           std::to_string(workers) + " ranks' copies) + 2 × " + outputs;
      } else if (job.transport() == pb::UDS) {
        footprint.memory_bytes = input * (1 + workers) + 2 * workers * output;
        footprint.detail = "input " + HumanBytes(static_cast<double>(input)) + " × (1 + " +
                           std::to_string(workers) + " workers' copies) + 2 × " + outputs;
      } else {
        Result<uint64_t> segment = SegmentBytesFor(job);
        if (!segment.ok()) {
          return InvalidArgument(
              "--chunk " + std::to_string(job.chunk()) + " with --inflight " +
              std::to_string(job.inflight()) +
              " cannot be laid out in shared memory: " + segment.status().message());
        }
        footprint.memory_bytes = *segment;
        footprint.shm_bytes = *segment;
        footprint.detail = "a shared-memory segment: input " +
                           HumanBytes(static_cast<double>(input)) + " + " + outputs + " + rings";
      }
      break;
    default:
      return InvalidArgument("mode is not set");
  }
  // Every measured task's record is kept for the report, and a trial's ledger
  // holds one more per task: a huge --tasks × --trials is memory too.
  const auto tasks = static_cast<uint64_t>(std::max<int64_t>(0, job.tasks()));
  const auto trials = static_cast<uint64_t>(std::max(0, job.trials()));
  const double records = static_cast<double>(tasks) * static_cast<double>(trials + 1) *
                         static_cast<double>(sizeof(TaskRecord));
  if (records >= kRecordsWorthNaming) {
    footprint.detail += " + task records " + HumanBytes(records) + " (" + std::to_string(tasks) +
                        " tasks × " + std::to_string(trials) + " trials, and one trial's ledger)";
  }
  footprint.memory_bytes = static_cast<uint64_t>(
      std::min(static_cast<double>(footprint.memory_bytes) + records, 1.8e19));
  return footprint;
}

Status CheckResources(const std::vector<pb::JobSpec>& jobs, const MachineResources& machine) {
  uint64_t memory = 0;
  uint64_t shm = 0;
  std::string what;
  std::string detail;
  for (const pb::JobSpec& job : jobs) {
    PARLAB_ASSIGN_OR_RETURN(JobFootprint footprint, FootprintOf(job));
    memory += footprint.memory_bytes;
    shm += footprint.shm_bytes;
    if (!what.empty()) {
      what += ", ";
      detail += "; ";
    }
    what += DescribeJob(job);
    detail += footprint.detail;
  }
  if (jobs.size() > 1) what = "the modes started together (" + what + ")";
  if (machine.available_memory_bytes > 0 && memory > machine.available_memory_bytes) {
    return ResourceExhausted(what + " need" + (jobs.size() > 1 ? "" : "s") + " " +
                             HumanBytes(static_cast<double>(memory)) + " of memory (" + detail +
                             ") but " +
                             HumanBytes(static_cast<double>(machine.available_memory_bytes)) +
                             " is available (MemAvailable in /proc/meminfo); use a smaller "
                             "size, fewer workers, or fewer tasks × trials");
  }
  if (shm > 0 && machine.shm.known && shm > machine.shm.bytes) {
    return ResourceExhausted(what + " need" + (jobs.size() > 1 ? "" : "s") + " a segment of " +
                             HumanBytes(static_cast<double>(shm)) + " in " + kShmDir +
                             " but it has " + HumanBytes(static_cast<double>(machine.shm.bytes)) +
                             " free; run `parlab clean`, use a smaller size or fewer workers, "
                             "or enlarge " +
                             kShmDir + " (docker run --shm-size)");
  }
  return Status::Ok();
}

}  // namespace parlab
