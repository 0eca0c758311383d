#pragma once
// What the in-process modes (seq, blas, threads, gil) share: the job's input,
// made once from the seed and read by every task, one output buffer per
// executing thread, and running one task on the calling thread with its
// compute stamps. Buffers are owned here; LocalTask is not synchronised, each
// thread uses its own output.

#include <vector>

#include "proto/parlab.pb.h"
#include "shared/aligned_buffer.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

class LocalTask {
 public:
  // Fails when the kernel is unknown. Allocates and fills the input and
  // `executors` output buffers (pages faulted in now, not during trials).
  static Result<LocalTask> Prepare(const KernelParams& params, int executors);
  // A job's tasks: its input, made from its kernel, and its task list if it
  // has one (Run then runs each task with its own parameters).
  static Result<LocalTask> Prepare(const pb::JobSpec& job, int executors);

  const Kernel& kernel() const { return *kernel_; }

  // Runs the kernel once on executor `executor`'s output and stamps
  // compute_start/compute_end into `record`, sets its checksum. With a task
  // list, the parameters are those of task record.id % its length.
  void Run(int executor, const KernelContext& context, TaskRecord& record);

 private:
  LocalTask(const Kernel* kernel, KernelParams params)
      : kernel_(kernel), params_(std::move(params)) {}

  const Kernel* kernel_;
  KernelParams params_;
  std::vector<KernelParams> task_params_;  // a job's task list; empty: params_ for all
  AlignedBuffer input_;
  std::vector<AlignedBuffer> outputs_;
};

}  // namespace parlab
