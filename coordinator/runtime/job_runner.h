#pragma once
// Runs one job: start the mode (timed apart), warmup trials (discarded),
// measured trials; checks that every task of the job computed the same
// checksum, since every task gets the same input. Called from one thread.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

struct JobOutcome {
  pb::JobSpec job;
  int64_t startup_ns = 0;
  std::vector<int64_t> trial_wall_ns;   // measured trials only
  std::vector<TaskRecord> records;      // measured trials only
  std::vector<std::string> notes;       // from the mode
  std::vector<pb::WorkerPlace> places;  // mpi: where the workers ran, their clocks
};

class RecordSink;

class Mode;

class Progress;

// A started job, run one trial at a time, so that several jobs can take turns:
// compare interleaves the trials of its modes, and a machine whose speed
// drifts (a shared VM) then shifts every mode alike instead of one.
class JobSession {
 public:
  // Starts the mode (timed as the start-up). Precondition: ValidateJob(job).ok().
  static Result<std::unique_ptr<JobSession>> Start(const pb::JobSpec& job, RecordSink* log);
  ~JobSession();
  JobSession(const JobSession&) = delete;
  JobSession& operator=(const JobSession&) = delete;

  // Runs the next trial, warmups first; false once every trial has run.
  // With a progress line, its tasks are counted on it as the mode reports
  // them (mode.h TaskDoneListener), all of them by the trial's end.
  Result<bool> RunNextTrial(Progress* progress = nullptr);
  // Stops the mode and checks the checksums. Call once, after the last trial.
  Result<JobOutcome> Finish();

 private:
  JobSession(std::unique_ptr<Mode> mode, RecordSink* log, const pb::JobSpec& job);

  std::unique_ptr<Mode> mode_;
  RecordSink* log_;
  JobOutcome outcome_;
  int32_t warmups_done_ = 0;
  int32_t trials_done_ = 0;
  uint64_t next_id_ = 0;
};

// Precondition: ValidateJob(job).ok(). With a log, every trial's records
// (warmups too, with negative trial numbers) are appended after the trial.
// With a progress line, tasks are counted on it as they finish.
Result<JobOutcome> RunJob(const pb::JobSpec& job, RecordSink* log = nullptr,
                          Progress* progress = nullptr);

// How many tasks make a trial last about `target_s` (at least 2 per parallel
// unit, at most 20,000, a multiple of the workers), from timing one task of
// the workload on this thread after one warm-up call.
Result<int64_t> CalibrateTasks(const pb::JobSpec& job, double target_s);

}  // namespace parlab
