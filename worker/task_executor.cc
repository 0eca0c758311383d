#include "worker/task_executor.h"

#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/command_task.h"
#include "worker/fault_injection.h"

namespace parlab {
namespace {

void Fail(pb::TaskResult& result, std::string message) {
  result.set_status(pb::TASK_FAILED);
  result.set_error(std::move(message));
}

}  // namespace

void TaskExecutor::Execute(const pb::TaskSpec& task, pb::TaskResult& result) const {
  result.set_id(task.id());
  result.set_worker(worker_);
  if (task.has_command()) {
    static const bool interrupts_left = (LeaveInterruptsToCoordinator(), true);
    (void)interrupts_left;
    if (board_ != nullptr) board_->Begin(task.id(), NowNs());
    RunCommandTask(task.command(), cancel_fd_, result);
    if (board_ != nullptr) board_->End();
    return;
  }
  const Kernel* kernel = FindKernel(task.kernel().kernel());
  if (kernel == nullptr) return Fail(result, "unknown kernel '" + task.kernel().kernel() + "'");
  if (Status s = kernel->Validate(task.kernel()); !s.ok()) return Fail(result, s.message());

  const pb::Payload& payload = task.payload();
  const size_t input_needed = kernel->InputBytes(task.kernel());
  const size_t output_needed = kernel->OutputBytes(task.kernel());
  if (payload.input_bytes() < input_needed || payload.output_bytes() < output_needed) {
    return Fail(result,
                "payload too small for the kernel: input " + std::to_string(payload.input_bytes()) +
                    " < " + std::to_string(input_needed) + " or output " +
                    std::to_string(payload.output_bytes()) + " < " + std::to_string(output_needed));
  }
  // Kernels may assume 64-byte alignment (AVX-512 loads); the arena hands out
  // only such offsets, so anything else is a corrupt message.
  if (payload.input_offset() % 64 != 0 || payload.output_offset() % 64 != 0) {
    return Fail(result, "payload offsets are not 64-byte aligned");
  }
  ConstBytes input;
  MutableBytes output;
  if (input_needed > 0) {
    Result<std::byte*> at = arena_.At<std::byte>(payload.input_offset(), input_needed);
    if (!at.ok()) return Fail(result, "input: " + at.status().message());
    input = {*at, input_needed};
  }
  if (output_needed > 0) {
    Result<std::byte*> at = arena_.At<std::byte>(payload.output_offset(), output_needed);
    if (!at.ok()) return Fail(result, "output: " + at.status().message());
    output = {*at, output_needed};
  }
  KernelContext context;
  context.threads = task.threads() > 0 ? task.threads() : 1;
  const int64_t start_ns = NowNs();
  if (board_ != nullptr) board_->Begin(task.id(), start_ns);
  InjectFault(task.fault());
  result.set_t_compute_start_ns(start_ns);
  const KernelResult out = kernel->Run(task.kernel(), input, output, context);
  result.set_t_compute_end_ns(NowNs());
  if (board_ != nullptr) board_->End();
  result.set_status(pb::TASK_OK);
  result.set_checksum(out.checksum);
  result.set_flops(out.flops);
  result.set_bytes(out.bytes);
}

}  // namespace parlab
