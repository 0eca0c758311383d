#pragma once
// The tour's child process: this executable re-run as `parlab tour
// --child-probe N` with chosen thread variables in its environment. OpenMP
// and OpenBLAS read those variables once, when they start, so what they do
// with them can only be seen in a process that starts with them: the child
// reports the thread counts OpenMP and OpenBLAS settled on and, for N > 0,
// times the matmul kernel at n = N with the OpenMP count it started with
// (nothing set at run time). Blocking; one thread.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

struct ChildProbe {
  int omp_max_threads = 0;       // omp_get_max_threads() at start-up
  int openblas_threads = 0;      // openblas_get_num_threads() at start-up
  std::vector<double> matmul_s;  // one per trial; empty for n = 0
  double matmul_flops = 0;       // per call
};

// The thread variables a probe clears unless it sets them, so that what the
// tour's own environment holds does not leak into the experiment.
const std::vector<std::string>& ProbedThreadVariables();

// Runs the child with `set` (name → value) and every other probed variable
// unset; n = 0 only reports the thread counts.
Result<ChildProbe> RunChildProbe(const std::map<std::string, std::string>& set, int n, int trials);

// The child's side: prints the probe as one JSON line.
Status ChildProbeMain(int n, int trials);

}  // namespace parlab
