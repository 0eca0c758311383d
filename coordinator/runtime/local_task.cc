#include "coordinator/runtime/local_task.h"

#include <string>

#include "shared/clock.h"

namespace parlab {

Result<LocalTask> LocalTask::Prepare(const KernelParams& params, int executors) {
  const Kernel* kernel = FindKernel(params.kernel());
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + params.kernel() + "'; known: " + KernelNames());
  }
  PARLAB_RETURN_IF_ERROR(kernel->Validate(params));
  LocalTask task(kernel, params);
  task.input_ = AlignedBuffer(kernel->InputBytes(params));
  kernel->FillInput(params, task.input_.mutable_bytes());
  task.outputs_.reserve(static_cast<size_t>(executors));
  for (int i = 0; i < executors; ++i) task.outputs_.emplace_back(kernel->OutputBytes(params));
  return task;
}

Result<LocalTask> LocalTask::Prepare(const pb::JobSpec& job, int executors) {
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, Prepare(job.kernel(), executors));
  task.task_params_.assign(job.task_kernels().begin(), job.task_kernels().end());
  return task;
}

void LocalTask::Run(int executor, const KernelContext& context, TaskRecord& record) {
  AlignedBuffer& output = outputs_[static_cast<size_t>(executor)];
  record.t.compute_start_ns = NowNs();
  const KernelParams& params =
      task_params_.empty() ? params_ : task_params_[record.id % task_params_.size()];
  KernelResult result = kernel_->Run(params, input_.const_bytes(), output.mutable_bytes(), context);
  record.t.compute_end_ns = NowNs();
  record.checksum = result.checksum;
  record.flops = result.flops;
  record.bytes = result.bytes;
}

}  // namespace parlab
