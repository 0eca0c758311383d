#include "shared/task_frame.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace parlab {
namespace {

// An array that stays empty while every entry would be the default.
template <typename Array>
bool NoneOrOnePerTask(const Array& array, int tasks) {
  return array.empty() || array.size() == tasks;
}

// Appends `value` as the entry of task `index` to an array kept empty while
// every entry is the default: the first other value fills in those before.
template <typename T>
void AppendUnlessAllDefault(google::protobuf::RepeatedField<T>& array, int index, T value,
                            bool is_default) {
  if (array.empty()) {
    if (is_default) return;
    array.Resize(index, T{});
  }
  array.Add(value);
}

// +0.0 only: a checksum of −0.0 keeps its sign.
bool IsPlusZero(double value) { return value == 0 && !std::signbit(value); }

// `base` + `delta` into `sum`; false when it does not fit an int64.
bool AddDelta(int64_t base, uint64_t delta, int64_t& sum) {
  return delta <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) &&
         !__builtin_add_overflow(base, static_cast<int64_t>(delta), &sum);
}

// The same for a frame CheckResultFrame passed: wraps instead of
// overflowing, so a reader over any frame is at worst wrong, never undefined.
int64_t After(int64_t base, uint64_t delta) {
  return static_cast<int64_t>(static_cast<uint64_t>(base) + delta);
}

Status CheckStamps(const pb::ResultFrame& frame) {
  int64_t end_ns = frame.t_dequeued_ns();
  int64_t unused;
  if (!AddDelta(end_ns, frame.decoded_after_ns(), unused) ||
      !AddDelta(end_ns, frame.result_enqueued_after_ns(), unused)) {
    return InvalidArgument("a result frame whose stamps overflow");
  }
  for (int i = 0; i < frame.compute_start_after_ns_size(); ++i) {
    const int64_t after = frame.compute_start_after_ns(i);
    const uint64_t compute = frame.compute_ns(i);
    if (after < -1 || (after == -1 && compute != 0)) {
      return InvalidArgument("a result frame whose task index " + std::to_string(i) + " starts " +
                             std::to_string(after) + " ns after the one before and runs " +
                             std::to_string(compute) + " ns");
    }
    if (after == -1) continue;  // refused before it ran
    int64_t start_ns;
    if (!AddDelta(end_ns, static_cast<uint64_t>(after), start_ns) ||
        !AddDelta(start_ns, compute, end_ns)) {
      return InvalidArgument("a result frame whose stamps overflow at task index " +
                             std::to_string(i));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckResultFrame(const pb::ResultFrame& frame) {
  const int n = frame.ids_size();
  if (!NoneOrOnePerTask(frame.statuses(), n) || !NoneOrOnePerTask(frame.checksums(), n) ||
      !NoneOrOnePerTask(frame.flops(), n) || !NoneOrOnePerTask(frame.bytes(), n) ||
      !NoneOrOnePerTask(frame.commands(), n) || frame.compute_start_after_ns_size() != n ||
      frame.compute_ns_size() != n) {
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
  return CheckStamps(frame);
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

ResultFrameWriter::ResultFrameWriter(pb::ResultFrame& frame, int worker, int64_t dequeued_ns)
    : frame_(frame), previous_end_ns_(dequeued_ns) {
  frame_.Clear();
  frame_.set_worker(worker);
  frame_.set_t_dequeued_ns(dequeued_ns);
}

void ResultFrameWriter::AddTask(uint64_t id, pb::TaskStatus status, double checksum, double flops,
                                double bytes) {
  const int index = frame_.ids_size();
  AppendUnlessAllDefault<int>(*frame_.mutable_statuses(), index, status, status == pb::TASK_OK);
  AppendUnlessAllDefault(*frame_.mutable_checksums(), index, checksum, IsPlusZero(checksum));
  AppendUnlessAllDefault(*frame_.mutable_flops(), index, flops, IsPlusZero(flops));
  AppendUnlessAllDefault(*frame_.mutable_bytes(), index, bytes, IsPlusZero(bytes));
  frame_.add_ids(id);
}

void ResultFrameWriter::AddRan(uint64_t id, pb::TaskStatus status, std::string_view error,
                               double checksum, double flops, double bytes, int64_t start_ns,
                               int64_t end_ns) {
  if (status != pb::TASK_OK) {
    pb::TaskFailure& failure = *frame_.add_failures();
    failure.set_index(static_cast<uint32_t>(frame_.ids_size()));
    failure.set_message(std::string(error));
  }
  AddTask(id, status, checksum, flops, bytes);
  start_ns = std::max(start_ns, previous_end_ns_);
  end_ns = std::max(end_ns, start_ns);
  frame_.add_compute_start_after_ns(start_ns - previous_end_ns_);
  frame_.add_compute_ns(static_cast<uint64_t>(end_ns - start_ns));
  if (first_start_ns_ == 0) first_start_ns_ = start_ns;
  previous_end_ns_ = end_ns;
}

void ResultFrameWriter::AddRefused(uint64_t id, std::string_view why) {
  pb::TaskFailure& failure = *frame_.add_failures();
  failure.set_index(static_cast<uint32_t>(frame_.ids_size()));
  failure.set_message(std::string(why));
  AddTask(id, pb::TASK_FAILED, 0, 0, 0);
  frame_.add_compute_start_after_ns(-1);
  frame_.add_compute_ns(0);
}

namespace {
uint64_t NsAfterDequeue(const pb::ResultFrame& frame, int64_t stamp_ns) {
  return static_cast<uint64_t>(std::max(stamp_ns, frame.t_dequeued_ns()) - frame.t_dequeued_ns());
}
}  // namespace

void SetDecoded(pb::ResultFrame& frame, int64_t decoded_ns) {
  frame.set_decoded_after_ns(NsAfterDequeue(frame, decoded_ns));
}

void SetResultEnqueued(pb::ResultFrame& frame, int64_t result_enqueued_ns) {
  frame.set_result_enqueued_after_ns(NsAfterDequeue(frame, result_enqueued_ns));
}

int64_t ResultEnqueuedNs(const pb::ResultFrame& frame) {
  return After(frame.t_dequeued_ns(), frame.result_enqueued_after_ns());
}

int64_t MeanComputeNs(const pb::ResultFrame& frame) {
  const int tasks = frame.compute_ns_size();
  if (tasks == 0) return -1;
  uint64_t total_ns = 0;
  for (const uint64_t ns : frame.compute_ns()) {
    total_ns = ns > UINT64_MAX - total_ns ? UINT64_MAX : total_ns + ns;
  }
  return static_cast<int64_t>(std::min<uint64_t>(total_ns / static_cast<uint64_t>(tasks),
                                                 static_cast<uint64_t>(INT64_MAX)));
}

ResultFrameReader::ResultFrameReader(const pb::ResultFrame& frame)
    : frame_(frame),
      previous_end_ns_(frame.t_dequeued_ns()),
      decoded_ns_(After(frame.t_dequeued_ns(), frame.decoded_after_ns())),
      result_enqueued_ns_(ResultEnqueuedNs(frame)) {}

bool ResultFrameReader::Next(TaskAnswer& answer) {
  if (index_ >= frame_.ids_size()) return false;
  const int i = index_++;
  answer.id = frame_.ids(i);
  answer.status = frame_.statuses().empty() ? pb::TASK_OK : frame_.statuses(i);
  answer.error = {};
  if (failure_ < frame_.failures_size() &&
      frame_.failures(failure_).index() == static_cast<uint32_t>(i)) {
    answer.error = frame_.failures(failure_++).message();
  }
  answer.checksum = frame_.checksums().empty() ? 0 : frame_.checksums(i);
  answer.flops = frame_.flops().empty() ? 0 : frame_.flops(i);
  answer.bytes = frame_.bytes().empty() ? 0 : frame_.bytes(i);
  // The chunk rule: taken when the task before it ended (the frame's own
  // stamp for the first), decoded no earlier than the frame was.
  answer.dequeued_ns = previous_end_ns_;
  answer.decoded_ns = std::max(decoded_ns_, previous_end_ns_);
  answer.compute_start_ns = 0;  // refused before it ran
  answer.compute_end_ns = 0;
  if (const int64_t after = frame_.compute_start_after_ns(i); after >= 0) {
    answer.compute_start_ns = After(previous_end_ns_, static_cast<uint64_t>(after));
    answer.compute_end_ns = After(answer.compute_start_ns, frame_.compute_ns(i));
    previous_end_ns_ = answer.compute_end_ns;
  }
  answer.result_enqueued_ns = result_enqueued_ns_;
  answer.command = frame_.commands_size() > 0 ? &frame_.commands(i) : nullptr;
  return true;
}

}  // namespace parlab
