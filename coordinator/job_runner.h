#pragma once
// Runs one job: start the mode (timed apart), warmup trials (discarded),
// measured trials; checks that every task of the job computed the same
// checksum, since every task gets the same input. Called from one thread.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

struct JobOutcome {
  pb::JobSpec job;
  int64_t startup_ns = 0;
  std::vector<int64_t> trial_wall_ns;  // measured trials only
  std::vector<TaskRecord> records;     // measured trials only
  std::vector<std::string> notes;      // from the mode
};

class LogWriter;

// Precondition: ValidateJob(job).ok(). With a log, every trial's records
// (warmups too, with negative trial numbers) are appended after the trial.
Result<JobOutcome> RunJob(const pb::JobSpec& job, LogWriter* log = nullptr);

// How many tasks make a trial last about `target_s` (at least 2 per parallel
// unit, at most 20,000, a multiple of the workers), from timing one task of
// the workload on this thread after one warm-up call.
Result<int64_t> CalibrateTasks(const pb::JobSpec& job, double target_s);

}  // namespace parlab
