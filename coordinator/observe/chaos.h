#pragma once
// Chaos: a procs job run while a killer thread SIGKILLs a random worker every
// few milliseconds — the proof that a worker's death loses nothing. At the end
// every task id of every trial must be present exactly once, answered, with
// the job's one checksum; no segment may be left in /dev/shm and no worker
// running. `parlab chaos` prints the report; chaos_test runs a short one.

#include <cstdint>

#include "coordinator/runtime/job_runner.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

class Progress;

struct ChaosOptions {
  pb::JobSpec job;          // procs over shm; its trials are run until the duration is up
  int64_t duration_ns = 0;  // 0: exactly job.trials() trials
  int64_t kill_every_ns = 50'000'000;
  uint64_t seed = 1;
  // Counts each task as its worker answers, ends with the duration (or the
  // trials), and names the kills so far; not owned, may be null. Chaos is a
  // check, not a measurement: nothing here is timed, so it draws anywhere.
  Progress* progress = nullptr;
};

struct ChaosReport {
  double seconds = 0;
  int64_t trials = 0;
  int64_t tasks_done = 0;        // answered, once each
  int64_t workers_killed = 0;    // by the killer thread
  int64_t tasks_retried = 0;     // sent more than once
  int64_t tasks_lost = 0;        // failed, or missing: must be 0
  int64_t tasks_duplicated = 0;  // ids seen twice: must be 0
  int segments_left = 0;         // /dev/shm/parlab-<our pid>-* after the job
  int workers_left = 0;          // parlab-worker children after the job
  // The job's records, for a caller that checks them itself rather than
  // trusting the counts above (chaos_test). outcome.job.trials() is the
  // number of trials run.
  JobOutcome outcome;
  bool Clean() const {
    return tasks_lost == 0 && tasks_duplicated == 0 && segments_left == 0 && workers_left == 0;
  }
};

// Runs the job under fire. An error when the job itself failed (a wrong
// checksum is one); a report otherwise, clean or not.
Result<ChaosReport> RunChaos(const ChaosOptions& options);

}  // namespace parlab
