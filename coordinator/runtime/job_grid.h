#pragma once
// A job file's grid (job_file.h): sizes × modes × worker counts expanded to
// the jobs of one study (study.h), so a grid runs through the same runner as
// compare and sweep and ends in one combined report. Pure planning: nothing
// runs. Safe from any thread.

#include <string>

#include "coordinator/runtime/job_file.h"
#include "coordinator/runtime/study.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// One stage per size × worker count, holding every mode, so the modes of one
// point run their trials in turns. An empty list keeps the job's own value.
// seq's worker count means nothing, so seq runs once per size, in the stage
// of the first worker count. Unless `threads_given`, blas spends the workers
// as threads inside one task and hybrid splits `cores` between its
// processes, as compare does. Labels name the point: "n=1000, procs, 4
// workers". Errors: a size the workload has no field for, or rejects.
Result<StudyPlan> PlanJobGrid(const pb::JobSpec& job, const JobGrid& grid, int cores,
                              bool threads_given);

// The grid's report: a summary per job, in plan order, each with its speedup
// against the seq job of its size where the grid ran one (and a note where
// the two are not distinguishable, report/verdict.h), and beside it the
// speedup the machine's ceiling allows (report/ceiling.h) where the study
// probed it (outcome.ceiling_probes not empty).
pb::JobGridReport SummarizeJobGrid(const StudyOutcome& outcome, int cores);

// "n=1000" for a job of a grid with sizes ("" when the workload has none).
std::string JobSizeLabel(const pb::JobSpec& job);

}  // namespace parlab
