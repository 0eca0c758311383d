#pragma once
// The second OpenBLAS column of `parlab bench gemm`. OpenBLAS reads
// OPENBLAS_CORETYPE once, when the library loads, so OpenBLAS with another
// core needs another process: this same executable, re-run as
// `bench gemm --openblas-only` with the variable in its environment. It
// measures cblas_dgemm on the matmul kernel's inputs (same seed, same
// matrices) and prints OpenBlasRunJson() on a pipe that this side reads
// (RunSubprocess, shared/platform/subprocess.h: a deadline). Blocking; call it from
// one thread while nothing else is being timed.

#include <string>
#include <vector>

#include "coordinator/bench/bench_gemm_report.h"
#include "shared/status.h"

namespace parlab {

// Runs the child over every (size, threads) cell with `trials` timed runs
// each and returns what it measured. Fails when it cannot start, dies, exits
// non-zero (with its last line), runs past its deadline, or answers anything
// but its JSON.
Result<OpenBlasRun> MeasureOpenBlasInChild(const std::vector<int>& sizes,
                                           const std::vector<int>& threads, int trials,
                                           const std::string& coretype);

}  // namespace parlab
