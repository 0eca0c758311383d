#pragma once
// Writing and reading the answers of a ResultFrame (proto/parlab.proto): the
// one place that knows how its packed arrays line up, which of them stay
// empty, how the compute stamps travel as deltas and how a task's dequeued
// and decoded stamps follow from the frame's (in a chunk, a task is taken
// when the one before it ends). The worker writes answers through
// ResultFrameWriter (worker/task_executor.h); the coordinator's transports
// and the tests read them through ResultFrameReader.
//
// Nothing in a frame is trusted: CheckResultFrame refuses arrays that are not
// parallel, failures that point nowhere and stamps that would overflow
// before anything is read. A TaskAnswer's error is a view into the frame:
// valid while the frame lives. Pure functions, and a writer or a reader over
// one frame; thread-compatible.

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

// OK when every per-task array has one entry per id (those that may stay
// empty: none, or one per id), the failures name tasks of the frame in
// increasing order, and every stamp the deltas give fits an int64;
// otherwise kInvalidArgument saying what is wrong ("a result frame
// whose ..."), for the caller to name its peer.
Status CheckResultFrame(const pb::ResultFrame& frame);

// Appends the answers to one TaskFrame to a ResultFrame, task by task. A
// task's compute stamps never go back in time: its start is taken as no
// earlier than the end of the task before it (the frame's dequeue for the
// first), its end as no earlier than its start — the unordered clock reads
// that take them may run a few ns ahead of the ordered one before.
class ResultFrameWriter {
 public:
  // Clears `frame` (its arrays keep their room) for the answers of
  // `worker` to a TaskFrame it took at `dequeued_ns`. `frame` must outlive
  // the writer.
  ResultFrameWriter(pb::ResultFrame& frame, int worker, int64_t dequeued_ns);

  // A task that ran from `start_ns` to `end_ns`; `error` says why when
  // `status` is not OK.
  void AddRan(uint64_t id, pb::TaskStatus status, std::string_view error, double checksum,
              double flops, double bytes, int64_t start_ns, int64_t end_ns);
  // A task refused before it ran: TASK_FAILED, because of `why`.
  void AddRefused(uint64_t id, std::string_view why);
  // The outcome of the command task just added (a command job adds one
  // for each of its tasks, run or refused).
  pb::CommandOutcome& AddCommandOutcome() { return *frame_.add_commands(); }

  // The compute start of the first task that ran; 0 while none has.
  int64_t first_start_ns() const { return first_start_ns_; }
  // The compute end of the last task that ran; the dequeue while none has.
  int64_t last_end_ns() const { return previous_end_ns_; }

 private:
  void AddTask(uint64_t id, pb::TaskStatus status, double checksum, double flops, double bytes);

  pb::ResultFrame& frame_;
  int64_t previous_end_ns_;  // of the last task that ran; the dequeue before one has
  int64_t first_start_ns_ = 0;
};

// A written frame's other two stamps, taken as no earlier than its dequeue.
void SetDecoded(pb::ResultFrame& frame, int64_t decoded_ns);
void SetResultEnqueued(pb::ResultFrame& frame, int64_t result_enqueued_ns);
// The result_enqueued stamp a written frame holds.
int64_t ResultEnqueuedNs(const pb::ResultFrame& frame);
// How long its tasks computed, on average; -1 for a frame without any.
// Untrusted input is fine: a sum that would overflow saturates.
int64_t MeanComputeNs(const pb::ResultFrame& frame);

// The answers of a frame that passed CheckResultFrame, in order.
class ResultFrameReader {
 public:
  explicit ResultFrameReader(const pb::ResultFrame& frame);

  // Fills `answer` with the next task's; false after the last.
  bool Next(TaskAnswer& answer);

 private:
  const pb::ResultFrame& frame_;
  int index_ = 0;
  int failure_ = 0;          // the next failure not yet reached
  int64_t previous_end_ns_;  // when the task before the next one that ran ended
  int64_t decoded_ns_;
  int64_t result_enqueued_ns_;
};

}  // namespace parlab
