#pragma once
// TaskFeed: where a job's tasks come from when they are not all alike and
// not all known at the start — command tasks (`parlab run --cmd`), one per
// input line, read from a file or a stream while the first ones already run.
// A mode that takes a feed (ProcsMode, the command threads mode) pulls
// tasks from it as it goes, asks it for each task's own part of its spec,
// and tells it each task's end as it happens, so outputs and log lines
// leave as tasks finish, not when the trial does.
//
// Called from the coordinator's thread only (the mode's RunTrial).

#include <cstdint>

#include "proto/parlab.pb.h"
#include "shared/task_frame.h"
#include "shared/task_record.h"

namespace parlab {

class TaskFeed {
 public:
  virtual ~TaskFeed() = default;

  // Tasks known so far, slots 0..Known()-1; takes in what has arrived
  // without waiting. Never shrinks.
  virtual uint64_t Known() = 0;
  // No task beyond Known() will come: the input ended, or a halt closed it.
  virtual bool Closed() const = 0;
  // No fresh task is to start; the running ones finish (--halt soon).
  virtual bool Halting() const = 0;
  // The tasks running are to be abandoned at once (--halt now, an error).
  virtual bool StopNow() const = 0;

  // Fills what is slot `slot`'s own: its command line (TaskInput.command).
  virtual void Describe(uint64_t slot, pb::CommandTask& command) = 0;
  // Slot `slot` is settled for good: `record` is final; `answer` is the
  // worker's answer (valid during the call only), or null when there is
  // none (its worker kept dying).
  virtual void Settled(uint64_t slot, const TaskRecord& record, const TaskAnswer* answer) = 0;
};

}  // namespace parlab
