#pragma once
// `parlab metg` as a study (runtime/study.h): what it runs at each task size
// and what one size's outcomes say. One stage per spin size, ascending:
// every mode at that size, then seq, which measures what a task of that size
// costs on one core without any runtime around it (the task duration of the
// efficiency) and takes its turns with the modes, so it sees the same
// machine. Pure; thread-safe.

#include <cstdint>
#include <vector>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/study.h"
#include "proto/parlab.pb.h"

namespace parlab {

// Enough tasks for `trial_s` of work on `units` at full efficiency, a
// multiple of the units; at least 4 per unit, and at most 5,000: the smallest
// tasks run at a few percent efficiency, where 40,000 of them would make one
// trial last a second for a figure that is clear long before.
int64_t MetgTasksFor(int64_t us, int units, double trial_s);

// The job of `mode` at `workers` workers on spin tasks of `us` µs, shaped as
// a sweep shapes it (SweepJob), sized by MetgTasksFor. `base` holds the spin
// workload, warmup, trials and wait.
pb::JobSpec MetgJob(const pb::JobSpec& base, pb::Mode mode, int64_t us, int workers,
                    int usable_cores, double trial_s);

// Stage k holds the modes at steps[k] in the order given, then seq (index
// modes.size()); seq only measures the task's duration, so it runs one unit's
// share of a trial. Labels say the size: "procs, 4 workers, 64 us tasks".
StudyPlan PlanMetg(const pb::JobSpec& base, const std::vector<pb::Mode>& modes,
                   const std::vector<int64_t>& steps, int workers, int usable_cores,
                   double trial_s);

// The mean compute time of `records`: the task duration seq measured. The
// mean, not the median: seq takes its turns with the modes, so its tasks are
// preempted by the neighbours as the modes' are, and the mean carries that
// into the duration as the modes' walls carry it: on a shared machine the
// load then cancels in the ratio. The median leaves it out and counts the
// neighbours' time against the mode (measured under load: every mode stuck
// near 18% up to 2 ms tasks). 0 without records.
double MeanComputeS(const std::vector<TaskRecord>& records);

// One mode's point at one size: its wall mean over the measured trials, the
// efficiency against `task_s` (MeanComputeS of seq at that size), and its
// own median compute time.
pb::MetgPoint MetgPointOf(const JobOutcome& outcome, double task_s);

}  // namespace parlab
