#pragma once
// Reading the answers of a ResultFrame (proto/parlab.proto): the one place
// that knows how its packed arrays line up and how a task's dequeued and
// decoded stamps follow from the frame's (in a chunk, a task is taken when
// the one before it ends). The coordinator's transports and the tests read
// answers through it; the worker writes them (worker/task_executor.h).
//
// Nothing in a frame is trusted: CheckResultFrame refuses arrays that are not
// parallel and failures that point nowhere before anything is read. A
// TaskAnswer's error is a view into the frame: valid while the frame lives.
// Pure functions and a reader over one frame; thread-compatible.

#include <cstdint>
#include <string_view>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// One task's answer, as a ResultFrame says it.
struct TaskAnswer {
  uint64_t id = 0;
  pb::TaskStatus status = pb::TASK_OK;
  std::string_view error;  // "" unless the task failed with a message
  double checksum = 0;
  double flops = 0;
  double bytes = 0;
  int64_t dequeued_ns = 0;
  int64_t decoded_ns = 0;
  int64_t compute_start_ns = 0;  // 0: refused before it ran
  int64_t compute_end_ns = 0;
  int64_t result_enqueued_ns = 0;
  // A command task's outcome (ResultFrame.commands); null for a kernel's.
  // Like error, it points into the frame (or the TaskResult it came from).
  const pb::CommandOutcome* command = nullptr;
};

// The answer one TaskResult gives (the command threads mode answers so); it
// points into `result`, which must outlive it.
TaskAnswer AnswerOf(const pb::TaskResult& result);

// OK when every per-task array has one entry per id (commands: none, or
// one per id) and the failures name
// tasks of the frame in increasing order; otherwise kInvalidArgument saying
// what is wrong ("a result frame whose ..."), for the caller to name its peer.
Status CheckResultFrame(const pb::ResultFrame& frame);

// The answers of a frame that passed CheckResultFrame, in order.
class ResultFrameReader {
 public:
  explicit ResultFrameReader(const pb::ResultFrame& frame)
      : frame_(frame), previous_end_ns_(frame.t_dequeued_ns()) {}

  // Fills `answer` with the next task's; false after the last.
  bool Next(TaskAnswer& answer);

 private:
  const pb::ResultFrame& frame_;
  int index_ = 0;
  int failure_ = 0;          // the next failure not yet reached
  int64_t previous_end_ns_;  // when the task before the next one ended
};

}  // namespace parlab
