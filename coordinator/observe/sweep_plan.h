#pragma once
// What a sweep runs: the worker counts the user listed and the job of each
// mode at each count, shaped as compare shapes its rows (threads, gil and
// procs one thread per worker; blas spends the workers as threads in one
// task; hybrid splits the usable cores between its processes unless
// --threads says otherwise). Pure; thread-safe.

#include <string_view>
#include <vector>

#include "coordinator/runtime/study.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// "1,2,4,8" -> {1, 2, 4, 8}, sorted ascending. Every entry a whole number in
// 1..kMaxWorkers, none twice; the error names the bad entry.
Result<std::vector<int>> ParseWorkerList(std::string_view list);

// The modes a sweep scales: `list` parsed, seq dropped (it is the reference,
// always measured once); an error when no other mode is left.
Result<std::vector<pb::Mode>> ParseSweepModes(std::string_view list);

// The job of `mode` at `workers` workers, on top of `base` (workload, tasks,
// trials ...). `threads_given`: the user set --threads, which then holds for
// blas and hybrid as given.
pb::JobSpec SweepJob(const pb::JobSpec& base, pb::Mode mode, int workers, int usable_cores,
                     bool threads_given);

// The whole sweep as a study (study.h): one stage per worker count, holding
// every mode at that count, and seq at one worker as the reference, which
// takes a turn in every round of every stage, so its trials spread over the
// whole sweep and it sees the same machine as every point. Compare starts
// every job before the first trial; a sweep does that per worker count, not
// for the whole sweep: 1,2,4,8,16,32 workers x three modes would otherwise
// hold 189 threads and processes (and a shared-memory segment per procs job)
// idle at once, and the idle ones still cost the running ones memory and
// scheduler time.
StudyPlan PlanSweep(const pb::JobSpec& base, const std::vector<int>& workers,
                    const std::vector<pb::Mode>& modes, int usable_cores, bool threads_given);

}  // namespace parlab
