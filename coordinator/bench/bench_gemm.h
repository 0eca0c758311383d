#pragma once
// `parlab bench gemm`: the matmul kernel's GFLOPS next to OpenBLAS's
// cblas_dgemm on the same A and B, at several sizes and thread counts, with the
// CPU's measured FMA peak as the ceiling and the results checked equal.
//
// OpenBLAS appears twice: as it configured itself in this process, and with
// OPENBLAS_CORETYPE set to the best kernels the CPU supports. OpenBLAS reads
// that variable once, when it loads, so the second column comes from a child:
// this same binary re-executed (`bench gemm --openblas-only`) with the variable
// in its environment, which sends its figures and checksums back as JSON on a
// pipe. The pure half (figures, rules, renderings) is bench_gemm_report.h.

#include <vector>

#include "shared/status.h"

namespace parlab {

struct GemmOptions {
  std::vector<int> sizes = {500, 1000, 2000, 3000};
  std::vector<int> threads = {1, 2};
  int trials = 3;
  bool json = false;
  bool markdown = false;       // the table as Markdown
  bool csv = false;            // the rows as CSV
  bool openblas_only = false;  // the child's mode: OpenBLAS alone, JSON for the parent
};

// Measures and prints the table (or JSON). OK when the results agree (the
// target may still be missed: this is a measurement, not a test); kInternal
// when they disagree or the child fails.
Status RunBenchGemm(const GemmOptions& options);

}  // namespace parlab
