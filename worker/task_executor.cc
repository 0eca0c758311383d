#include "worker/task_executor.h"

#include <string>
#include <utility>

#include "shared/clock.h"
#include "shared/platform/command_task.h"
#include "shared/task_frame.h"
#include "worker/fault_injection.h"

namespace parlab {
void TaskExecutor::RunCommand(uint64_t id, pb::FaultAction fault, const pb::CommandTask& command,
                              ResultFrameWriter& answers) {
  static const bool interrupts_left = (LeaveInterruptsToCoordinator(), true);
  static_cast<void>(interrupts_left);
  if (kernel_ == nullptr) {
    answers.AddRefused(id, refused_);
    answers.AddCommandOutcome().set_exit_code(-1);  // never started
    return;
  }
  if (board_ != nullptr) board_->Begin(id, NowNs());
  InjectFault(fault);
  pb::TaskResult result;
  RunCommandTask(command, cancel_fd_, result);
  if (board_ != nullptr) board_->End();
  answers.AddRan(id, result.status(), result.error(), 0, 0, 0, result.t_compute_start_ns(),
                 result.t_compute_end_ns());
  answers.AddCommandOutcome() = std::move(*result.mutable_command());
}

Status TaskExecutor::Prepare(const pb::JobConstants& constants) {
  version_ = constants.version();
  kernel_ = nullptr;
  const Kernel* kernel = FindKernel(constants.kernel().kernel());
  if (kernel == nullptr) {
    refused_ = "unknown kernel '" + constants.kernel().kernel() + "'";
    return InvalidArgument(refused_);
  }
  if (Status s = kernel->Validate(constants.kernel()); !s.ok()) {
    refused_ = s.message();
    return s;
  }
  const pb::Payload& payload = constants.payload();
  const size_t input_needed = kernel->InputBytes(constants.kernel());
  const size_t output_needed = kernel->OutputBytes(constants.kernel());
  if (payload.input_bytes() < input_needed || payload.output_bytes() < output_needed) {
    refused_ = "payload too small for the kernel: input " + std::to_string(payload.input_bytes()) +
               " < " + std::to_string(input_needed) + " or output " +
               std::to_string(payload.output_bytes()) + " < " + std::to_string(output_needed);
    return InvalidArgument(refused_);
  }
  // Kernels may assume 64-byte alignment (AVX-512 loads); the arena hands out
  // only such offsets, so anything else is a corrupt message.
  if (payload.input_offset() % 64 != 0 || payload.output_offset() % 64 != 0) {
    refused_ = "payload offsets are not 64-byte aligned";
    return InvalidArgument(refused_);
  }
  input_ = {};
  output_ = {};
  if (input_needed > 0) {
    Result<std::byte*> at = arena_.At<std::byte>(payload.input_offset(), input_needed);
    if (!at.ok()) {
      refused_ = "input: " + at.status().message();
      return InvalidArgument(refused_);
    }
    input_ = {*at, input_needed};
  }
  if (output_needed > 0) {
    Result<std::byte*> at = arena_.At<std::byte>(payload.output_offset(), output_needed);
    if (!at.ok()) {
      refused_ = "output: " + at.status().message();
      return InvalidArgument(refused_);
    }
    output_ = {*at, output_needed};
  }
  params_ = constants.kernel();
  context_ = KernelContext{};
  context_.threads = constants.threads() > 0 ? constants.threads() : 1;
  kernel_ = kernel;
  refused_.clear();
  return Status::Ok();
}

// A task of a job file's task list: its own parameters, which must keep to
// the constants' kernel and fit the payload they prepared.
Status TaskExecutor::CheckOwnParams(const pb::KernelParams& params) const {
  if (params.kernel() != params_.kernel()) {
    return InvalidArgument("task of kernel '" + params.kernel() + "' in a job of '" +
                           params_.kernel() + "'");
  }
  PARLAB_RETURN_IF_ERROR(kernel_->Validate(params));
  if (kernel_->InputBytes(params) > input_.size || kernel_->OutputBytes(params) > output_.size) {
    return InvalidArgument("task's parameters need more payload than the job's constants give");
  }
  return Status::Ok();
}

void TaskExecutor::Run(uint64_t id, pb::FaultAction fault, const pb::TaskInput* input,
                       ResultFrameWriter& answers) {
  if (input != nullptr && input->has_command())
    return RunCommand(id, fault, input->command(), answers);
  if (kernel_ == nullptr) return answers.AddRefused(id, refused_);
  const pb::KernelParams* params = &params_;
  if (input != nullptr && input->has_kernel()) {
    if (Status s = CheckOwnParams(input->kernel()); !s.ok()) {
      return answers.AddRefused(id, s.message());
    }
    params = &input->kernel();
  }
  // Unordered reads (shared/clock.h): both come before the answer is
  // published, and a batch of tiny tasks would otherwise spend half its time
  // on the fences. The writer keeps this thread's stamps in order.
  const int64_t start_ns = NowNsUnordered();
  if (board_ != nullptr) board_->Begin(id, start_ns);
  InjectFault(fault);
  const KernelResult out = kernel_->Run(*params, input_, output_, context_);
  const int64_t end_ns = NowNsUnordered();
  if (board_ != nullptr) board_->End();
  answers.AddRan(id, pb::TASK_OK, {}, out.checksum, out.flops, out.bytes, start_ns, end_ns);
}

Status TaskExecutor::RunFrame(const pb::TaskFrame& tasks, int64_t dequeued_ns,
                              pb::ResultFrame& answers, std::atomic<uint64_t>* done) {
  const int n = tasks.ids_size();
  if (tasks.constants() != version_) {
    return InvalidArgument("coordinator sent tasks for job constants " +
                           std::to_string(tasks.constants()) + ", but the last received are " +
                           std::to_string(version_));
  }
  if (tasks.inputs_size() != 0 && tasks.inputs_size() != n) {
    return InvalidArgument("coordinator sent " + std::to_string(tasks.inputs_size()) +
                           " task inputs for " + std::to_string(n) + " tasks");
  }
  if (tasks.fault() != pb::FAULT_NONE && tasks.fault_index() >= static_cast<uint32_t>(n)) {
    return InvalidArgument("coordinator poisoned task index " +
                           std::to_string(tasks.fault_index()) + " of a frame of " +
                           std::to_string(n));
  }
  ResultFrameWriter writer(answers, worker_, dequeued_ns);
  const bool uniform = tasks.inputs_size() == 0;
  for (int i = 0; i < n; ++i) {
    const bool poisoned =
        tasks.fault() != pb::FAULT_NONE && tasks.fault_index() == static_cast<uint32_t>(i);
    Run(tasks.ids(i), poisoned ? tasks.fault() : pb::FAULT_NONE,
        uniform ? nullptr : &tasks.inputs(i), writer);
    if (done != nullptr)
      done->store(done->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // Decoded: the start of the first task that ran; none ran: now. Never
  // before dequeued (SetDecoded sees to it): RDTSCP, which took that stamp,
  // does not hold back a later bare read.
  const int64_t decoded_ns =
      writer.first_start_ns() > 0 ? writer.first_start_ns() : NowNsUnordered();
  SetDecoded(answers, decoded_ns);
  // Result enqueued: the end of the last task, when the answers are all
  // there. What follows is the caller's encode and send, the return phase's;
  // a clock read of its own, a few ns after that end, cost ~8 ns of every
  // round trip (bench ipc's mpi row, 2-vCPU EPYC VM).
  SetResultEnqueued(answers, std::max(writer.last_end_ns(), decoded_ns));
  return Status::Ok();
}

void TaskExecutor::Execute(const pb::TaskSpec& task, pb::TaskResult& result) {
  pb::JobConstants constants;
  *constants.mutable_kernel() = task.kernel();
  *constants.mutable_payload() = task.payload();
  constants.set_threads(task.threads());
  constants.set_version(1);
  static_cast<void>(Prepare(constants));  // a refusal fails the task below
  pb::ResultFrame answers;
  ResultFrameWriter writer(answers, worker_, /*dequeued_ns=*/0);
  pb::TaskInput input;
  if (task.has_command()) *input.mutable_command() = task.command();
  Run(task.id(), task.fault(), task.has_command() ? &input : nullptr, writer);
  TaskAnswer answer;
  ResultFrameReader(answers).Next(answer);
  result.set_id(answer.id);
  result.set_worker(worker_);
  result.set_status(answer.status);
  result.set_error(std::string(answer.error));
  result.set_checksum(answer.checksum);
  result.set_flops(answer.flops);
  result.set_bytes(answer.bytes);
  result.set_t_compute_start_ns(answer.compute_start_ns);
  result.set_t_compute_end_ns(answer.compute_end_ns);
  if (answer.command != nullptr) *result.mutable_command() = *answer.command;
}

}  // namespace parlab
