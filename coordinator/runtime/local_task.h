#pragma once
// What the in-process modes (seq, blas, threads, gil) share: the job's input,
// made once from the seed and read by every task, one output buffer per
// executing thread, and running one task on the calling thread with its
// compute stamps. Buffers are owned here; LocalTask is not synchronised, each
// thread uses its own output.

#include <vector>

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

  const Kernel& kernel() const { return *kernel_; }

  // Runs the kernel once on executor `executor`'s output and stamps
  // compute_start/compute_end into `record`, sets its checksum.
  void Run(int executor, const KernelContext& context, TaskRecord& record);

 private:
  LocalTask(const Kernel* kernel, KernelParams params)
      : kernel_(kernel), params_(std::move(params)) {}

  const Kernel* kernel_;
  KernelParams params_;
  AlignedBuffer input_;
  std::vector<AlignedBuffer> outputs_;
};

}  // namespace parlab
