#pragma once
// A mode is one way of running a job's tasks: seq, threads, gil, blas (in this
// process) or procs, hybrid (in forked workers). The job runner, the stamps
// and the reports do not care which mode ran: every mode returns the same
// TaskRecords. A Mode is driven from one thread (the coordinator's).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

struct TrialRun {
  int64_t wall_ns = 0;
  std::vector<TaskRecord> records;  // one per task, in completion order
};

// Told of tasks as they finish, during RunTrial, on the thread that called
// RunTrial (the coordinator's): what moves the progress line per task rather
// than per trial. A mode reports answers as it takes them, so a count may
// include a task answered twice (a retry); the runner caps it at the trial's
// tasks.
class TaskDoneListener {
 public:
  virtual ~TaskDoneListener() = default;
  virtual void TasksDone(int64_t count) = 0;
};

class Mode {
 public:
  virtual ~Mode() = default;

  // Prepares inputs and starts threads or workers. The runner times it apart
  // from the trials (a pool's start-up is not the work's cost).
  virtual Status Start() = 0;

  // Runs job.tasks() tasks with ids first_id, first_id+1, ... and returns
  // their records. Precondition: Start() succeeded.
  virtual Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) = 0;

  // Stops threads or workers; idempotent, also done by the destructor.
  virtual void Stop() = 0;

  // Lines for the report that only this mode can tell (lock switches ...).
  virtual std::vector<std::string> Notes() const { return {}; }

  // Where each worker runs and how its clock stands (mpi); empty for modes
  // whose workers share this host's clock.
  virtual std::vector<pb::WorkerPlace> Places() const { return {}; }

  // Where RunTrial reports finished tasks; null (the default): nowhere. Not
  // owned; set between trials.
  void set_listener(TaskDoneListener* listener) { listener_ = listener; }

 protected:
  bool has_listener() const { return listener_ != nullptr; }
  void TasksDone(int64_t count) {
    if (listener_ != nullptr) listener_->TasksDone(count);
  }

 private:
  TaskDoneListener* listener_ = nullptr;
};

// The mode job.mode() names. Precondition: the job passed ValidateJob().
Result<std::unique_ptr<Mode>> MakeMode(const pb::JobSpec& job);

}  // namespace parlab
