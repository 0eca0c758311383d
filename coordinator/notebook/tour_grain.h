#pragma once
// The tour's pure-loop experiments sized by time (coordinator/runtime/
// task_grain.h): a native task at least as long as the notebook's Python
// task on this machine and never below the floor over the dispatch cost —
// the two figures measured once per tour and kept in the context. Each
// sizing is recorded in the section (pb::TourGrain) and printed with it.
// Blocking (it runs the loop and starts worker processes); one thread.

#include <cstdint>
#include <string>

#include "coordinator/notebook/tour_section.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// What one Python task of the experiment took here: its seconds and the n
// it ran (the quick tour runs Python at a smaller n than the notebook's).
struct PythonTask {
  double task_s = 0;  // 0: not timed (no python3 with NumPy here)
  int64_t n = 0;
};

// The native loop's n for experiment `experiment` (its rows' label prefix),
// whose notebook n is `notebook_n`. Appends the TourGrain to `section` and
// returns it. Measures the iteration and dispatch costs on first use.
Result<pb::TourGrain> SizeLoopExperiment(TourContext& context, pb::TourSection& section,
                                         const std::string& experiment, int64_t notebook_n,
                                         const PythonTask& python);

// Trials that keep an experiment whose slowest mode takes `trial_s` a trial
// within about `budget_s`, between `fewest` and `most`: tasks sized by time
// may be 100× the notebook's, and the tour must stay as long as it said.
int TrialsWithin(double budget_s, double trial_s, int fewest, int most);

// The Python task of a section's rows: the row labelled `label`, per task
// (`tasks` per trial, each of `n`); task_s 0 when there is none.
PythonTask PythonTaskOf(const pb::TourSection& section, const std::string& label, int tasks,
                        int64_t n);

// "pure CPU, loop ×2: n = 60,000,000 — a task lasts ..." for the printed section.
std::string GrainLine(const pb::TourGrain& grain);

}  // namespace parlab
