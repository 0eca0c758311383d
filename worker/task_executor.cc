#include "worker/task_executor.h"

#include <algorithm>

#include "shared/clock.h"
#include "shared/platform/command_task.h"
#include "worker/fault_injection.h"

namespace parlab {
namespace {

// Appends one task's answer without its compute: it did not run.
void AppendRefused(uint64_t id, const std::string& why, pb::ResultFrame& answers) {
  pb::TaskFailure& failure = *answers.add_failures();
  failure.set_index(static_cast<uint32_t>(answers.ids_size()));
  failure.set_message(why);
  answers.add_ids(id);
  answers.add_statuses(pb::TASK_FAILED);
  answers.add_checksums(0);
  answers.add_flops(0);
  answers.add_bytes(0);
  answers.add_t_compute_start_ns(0);
  answers.add_t_compute_end_ns(0);
}

}  // namespace

void TaskExecutor::RunCommand(uint64_t id, pb::FaultAction fault, const pb::CommandTask& command,
                              pb::ResultFrame& answers) {
  static const bool interrupts_left = (LeaveInterruptsToCoordinator(), true);
  static_cast<void>(interrupts_left);
  if (kernel_ == nullptr) {
    AppendRefused(id, refused_, answers);
    answers.add_commands()->set_exit_code(-1);  // never started
    return;
  }
  if (board_ != nullptr) board_->Begin(id, NowNs());
  InjectFault(fault);
  pb::TaskResult result;
  RunCommandTask(command, cancel_fd_, result);
  if (board_ != nullptr) board_->End();
  if (result.status() != pb::TASK_OK) {
    pb::TaskFailure& failure = *answers.add_failures();
    failure.set_index(static_cast<uint32_t>(answers.ids_size()));
    failure.set_message(result.error());
  }
  answers.add_ids(id);
  answers.add_statuses(result.status());
  answers.add_checksums(0);
  answers.add_flops(0);
  answers.add_bytes(0);
  answers.add_t_compute_start_ns(result.t_compute_start_ns());
  answers.add_t_compute_end_ns(result.t_compute_end_ns());
  *answers.add_commands() = std::move(*result.mutable_command());
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
                       pb::ResultFrame& answers) {
  if (input != nullptr && input->has_command())
    return RunCommand(id, fault, input->command(), answers);
  if (kernel_ == nullptr) return AppendRefused(id, refused_, answers);
  const pb::KernelParams* params = &params_;
  if (input != nullptr && input->has_kernel()) {
    if (Status s = CheckOwnParams(input->kernel()); !s.ok()) {
      return AppendRefused(id, s.message(), answers);
    }
    params = &input->kernel();
  }
  // Unordered reads (shared/clock.h): both come before the answer is
  // published, and a batch of tiny tasks would otherwise spend half its time
  // on the fences. The max keeps this thread's own two stamps in order.
  const int64_t start_ns = NowNsUnordered();
  if (board_ != nullptr) board_->Begin(id, start_ns);
  InjectFault(fault);
  const KernelResult out = kernel_->Run(*params, input_, output_, context_);
  const int64_t end_ns = std::max(NowNsUnordered(), start_ns);
  if (board_ != nullptr) board_->End();
  answers.add_ids(id);
  answers.add_statuses(pb::TASK_OK);
  answers.add_checksums(out.checksum);
  answers.add_flops(out.flops);
  answers.add_bytes(out.bytes);
  answers.add_t_compute_start_ns(start_ns);
  answers.add_t_compute_end_ns(end_ns);
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
  answers.Clear();
  answers.set_worker(worker_);
  answers.set_t_dequeued_ns(dequeued_ns);
  const bool uniform = tasks.inputs_size() == 0;
  for (int i = 0; i < n; ++i) {
    const bool poisoned =
        tasks.fault() != pb::FAULT_NONE && tasks.fault_index() == static_cast<uint32_t>(i);
    Run(tasks.ids(i), poisoned ? tasks.fault() : pb::FAULT_NONE,
        uniform ? nullptr : &tasks.inputs(i), answers);
    if (done != nullptr)
      done->store(done->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // Decoded: the start of the first task that ran (one refused before it
  // ran has no start, 0); none ran: now. Never before dequeued: RDTSCP,
  // which took that stamp, does not hold back a later bare read.
  int64_t started_ns = 0;
  for (int i = 0; i < answers.t_compute_start_ns_size() && started_ns == 0; ++i) {
    started_ns = answers.t_compute_start_ns(i);
  }
  answers.set_t_decoded_ns(std::max(started_ns > 0 ? started_ns : NowNsUnordered(), dequeued_ns));
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
  pb::TaskInput input;
  if (task.has_command()) *input.mutable_command() = task.command();
  Run(task.id(), task.fault(), task.has_command() ? &input : nullptr, answers);
  result.set_id(task.id());
  result.set_worker(worker_);
  result.set_status(answers.statuses(0));
  if (answers.failures_size() > 0) result.set_error(answers.failures(0).message());
  result.set_checksum(answers.checksums(0));
  result.set_flops(answers.flops(0));
  result.set_bytes(answers.bytes(0));
  result.set_t_compute_start_ns(answers.t_compute_start_ns(0));
  result.set_t_compute_end_ns(answers.t_compute_end_ns(0));
  if (answers.commands_size() > 0) *result.mutable_command() = answers.commands(0);
}

}  // namespace parlab
