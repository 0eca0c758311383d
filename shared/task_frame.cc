#include "shared/task_frame.h"

#include <algorithm>
#include <string>

namespace parlab {

Status CheckResultFrame(const pb::ResultFrame& frame) {
  const int n = frame.ids_size();
  if (frame.statuses_size() != n || frame.checksums_size() != n || frame.flops_size() != n ||
      frame.bytes_size() != n || frame.t_compute_start_ns_size() != n ||
      frame.t_compute_end_ns_size() != n ||
      (frame.commands_size() != 0 && frame.commands_size() != n)) {
    return InvalidArgument("a result frame whose arrays are not one entry per task (" +
                           std::to_string(n) + " ids)");
  }
  int64_t previous = -1;
  for (const pb::TaskFailure& failure : frame.failures()) {
    if (static_cast<int64_t>(failure.index()) <= previous ||
        failure.index() >= static_cast<uint32_t>(n)) {
      return InvalidArgument("a result frame with a failure for task index " +
                             std::to_string(failure.index()) + " of " + std::to_string(n) +
                             " tasks, or out of order");
    }
    previous = failure.index();
  }
  return Status::Ok();
}

TaskAnswer AnswerOf(const pb::TaskResult& result) {
  TaskAnswer answer;
  answer.id = result.id();
  answer.status = result.status();
  answer.error = result.error();
  answer.checksum = result.checksum();
  answer.flops = result.flops();
  answer.bytes = result.bytes();
  answer.dequeued_ns = result.t_dequeued_ns();
  answer.decoded_ns = result.t_decoded_ns();
  answer.compute_start_ns = result.t_compute_start_ns();
  answer.compute_end_ns = result.t_compute_end_ns();
  answer.result_enqueued_ns = result.t_result_enqueued_ns();
  answer.command = result.has_command() ? &result.command() : nullptr;
  return answer;
}

bool ResultFrameReader::Next(TaskAnswer& answer) {
  if (index_ >= frame_.ids_size()) return false;
  const int i = index_++;
  answer.id = frame_.ids(i);
  answer.status = frame_.statuses(i);
  answer.error = {};
  if (failure_ < frame_.failures_size() &&
      frame_.failures(failure_).index() == static_cast<uint32_t>(i)) {
    answer.error = frame_.failures(failure_++).message();
  }
  answer.checksum = frame_.checksums(i);
  answer.flops = frame_.flops(i);
  answer.bytes = frame_.bytes(i);
  // The chunk rule: taken when the task before it ended (the frame's own
  // stamp for the first), decoded no earlier than the frame was.
  answer.dequeued_ns = previous_end_ns_;
  answer.decoded_ns = std::max(frame_.t_decoded_ns(), previous_end_ns_);
  answer.compute_start_ns = frame_.t_compute_start_ns(i);
  answer.compute_end_ns = frame_.t_compute_end_ns(i);
  answer.result_enqueued_ns = frame_.t_result_enqueued_ns();
  answer.command = frame_.commands_size() > 0 ? &frame_.commands(i) : nullptr;
  if (answer.compute_end_ns > 0) previous_end_ns_ = answer.compute_end_ns;
  return true;
}

}  // namespace parlab
