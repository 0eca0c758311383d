#pragma once
// `parlab advise`: short probes of every mode on one workload on this
// machine (seq, threads, gil, procs, blas, and hybrid for BLAS-like kernels;
// the same tasks in each, sized so a seq trial lasts about `target_s`), then
// the decision of advise_decision.h with its evidence. Starts threads and
// worker processes through RunJob; blocking; call it from one thread.

#include <ostream>
#include <string>

#include "coordinator/notebook/advise_decision.h"
#include "coordinator/report/progress.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

struct AdviseOptions {
  KernelParams params;    // a validated workload
  int workers = 0;        // 0: the usable cores, at least 2
  int trials = 3;         // measured trials per mode (after 1 warm-up)
  double target_s = 0.2;  // one seq trial
  // Whether the user gave the loop-like size (--n, --us): kept, with a
  // warning when its task is too short for a verdict; else it is sized by
  // time (coordinator/runtime/task_grain.h).
  bool size_given = false;
  // The progress line (not owned; null: none): once the probes are sized a
  // count of all their tasks starts on it, advanced per task as the modes
  // finish them; its stage names the probe ("probing procs (4/6)").
  Progress* progress = nullptr;
};

struct AdviceReport {
  AdviceInput input;  // the probes and what the decision saw
  Advice advice;
  int64_t tasks = 0;   // per trial, every mode
  std::string sizing;  // how a loop-like task was sized; "" otherwise (too short: a warning)
  int trials = 0;
};

// Validates (workers 1..kMaxWorkers, trials 1..100, target 0.01..60 s: errors
// name the flag), probes and decides.
Result<AdviceReport> Advise(const AdviseOptions& options);

// The probe table (mode, workers, threads, wall mean ± std, speedup), the
// branch, the recommendation with its reasons, and the warnings.
void PrintAdvice(const AdviceReport& report, std::ostream& out);

}  // namespace parlab
