#pragma once
// A job run for about a time budget rather than a task count, as `parlab bench
// ipc` runs each of its rows: a probe of a few tasks says what a task costs,
// then the job runs one warmup and one measured trial of as many tasks as fill
// the budget. On a loaded machine a spinning round trip can cost a scheduler
// slice, and a fixed task count would then take minutes. Blocking; call it
// from one thread.

#include <cstdint>

#include "coordinator/runtime/job_runner.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

class Progress;

inline constexpr int64_t kSizingProbeTasks = 100;

// Runs `job` with tasks in [min(max_tasks, kSizingProbeTasks), max_tasks], a
// multiple of its workers, so that its warmup and `trials` measured trials
// together last about `budget_s`. More than one trial is for a job the cap
// keeps short, where one pause of the machine would be the whole figure: its
// caller takes the median trial. `progress` (not owned; may be null) starts a
// new count on its line and counts every task of the probe (a warmup and a
// trial), the warmup and the trials as the mode reports them: their count is
// added once the probe has sized them. An error names what ValidateJob or the
// run refused.
Result<JobOutcome> RunSizedJob(pb::JobSpec job, int64_t max_tasks, double budget_s,
                               Progress* progress = nullptr, int trials = 1);

}  // namespace parlab
