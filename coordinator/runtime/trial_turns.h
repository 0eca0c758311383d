#pragma once
// Several started jobs taking turns trial by trial — compare's fairness rule,
// the loop inside each stage of a study (study.h: compare, sweep and metg):
// on a machine whose speed drifts (a shared VM), running one job's trials
// after another's would put the drift into their ratios; taking turns
// spreads it over all of them alike. The progress line counts tasks as the
// modes finish them. Called from the coordinator's thread.

#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_runner.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

struct Turn {
  JobSession* session = nullptr;  // not owned
  std::string label;              // "procs, 4 workers": the progress stage and error prefix
  int64_t tasks = 0;              // per trial, for the progress count
};

// Runs `rounds` rounds; in each, every session runs its next trial (warmups
// first), in the order given. A session whose trials are all done passes.
// An error names the turn: "procs, 4 workers: <what went wrong>" (same code).
// `progress` may be null.
Status RunInTurns(const std::vector<Turn>& turns, int rounds, Progress* progress);

// Tasks a job runs in all, warmups included: what a progress total counts.
int64_t JobTaskCount(const pb::JobSpec& job);

// "procs, 4 workers", "seq", "blas, 2 threads", "hybrid, 2 workers x 1 thread"
// (ASCII: the progress line cuts by bytes).
std::string JobLabel(const pb::JobSpec& job);

}  // namespace parlab
