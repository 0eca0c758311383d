#pragma once
// The pure half of `parlab bench gemm` (coordinator/bench/bench_gemm.h): the figures
// one run produces, the rules applied to them (ratio, % of peak, the 0.9
// target, which OpenBLAS core a CPU deserves), and their renderings — the
// table, the --json object, and the JSON that the OpenBLAS child process
// hands back to its parent. Nothing here measures, so tests feed it numbers.
// Values and free functions; safe from any thread.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/report/openblas_core.h"  // BestOpenBlasCore
#include "coordinator/report/table.h"
#include "shared/status.h"

namespace parlab {

// One (n, threads) cell; every figure is the best of the trials (GFLOPS =
// 2n³ / seconds / 1e9).
struct GemmRow {
  int n = 0;
  int threads = 0;
  double parlab_gflops = 0;
  double openblas_gflops = 0;                      // OpenBLAS as it configured itself
  std::optional<double> openblas_coretype_gflops;  // with OPENBLAS_CORETYPE = best core
  std::optional<double> eigen_own_gflops;          // Eigen's own GEMM (eigen_gemm.h)
};

struct GemmReport {
  std::vector<GemmRow> rows;
  int trials = 0;
  std::string backend;                 // who runs the parlab kernel's GEMM
  double peak_gflops_per_core = 0;     // coordinator/bench/fma_peak.h
  std::string peak_isa;                // "AVX2"
  std::string openblas_core;           // openblas_get_corename() in this process
  std::string openblas_core_choice;    // who chose it (openblas_core.h OpenBlasCoreChoice)
  std::string eigen_own;               // the Eigen-own column's name
  std::string openblas_coretype;       // what the child was given; "" when no child ran
  std::string openblas_best_core;      // openblas_get_corename() in the child
  double max_relative_difference = 0;  // parlab's C vs OpenBLAS's C, over all rows
};

// parlab / the faster of the OpenBLAS columns.
double Ratio(const GemmRow& row);
// Eigen's own GEMM / the faster OpenBLAS column; 0 when not measured.
double EigenOwnRatio(const GemmRow& row);
// parlab / (peak per core × threads); 0 when the peak is unknown.
double PeakFraction(const GemmRow& row, double peak_gflops_per_core);

// The goal the kernel is held to: ratio >= min_ratio for every n >= min_n, at
// each thread count measured.
struct GemmTarget {
  double min_ratio = 0.9;
  int min_n = 1000;
};
struct TargetVerdict {
  bool measured = false;  // some row had n >= min_n
  bool met = false;
  std::vector<std::string> misses;  // "n=2000 threads=2: 0.81"
};
TargetVerdict CheckTarget(const std::vector<GemmRow>& rows, const GemmTarget& target = {});

// `parlab bench gemm`: a heading (back-end, trials, peak, cores), the table,
// then the target line. Ends with a newline.
std::string GemmReportText(const GemmReport& report);
// `parlab bench gemm --json`: a pb::BenchGemmReport (proto/report.proto) on
// one line, no trailing newline. The child's fields are empty when no child
// ran; target_met is unset when no row is large enough to judge.
std::string GemmReportJson(const GemmReport& report);
// The rows for --markdown: n, threads, the GFLOPS columns, ratios, % of peak.
Table GemmReportTable(const GemmReport& report);
// The rows for --csv, plain numbers: n, threads, parlab_gflops,
// openblas_gflops, openblas_coretype_gflops, ratio, peak_fraction,
// eigen_own_gflops, eigen_own_ratio (a cell not measured is empty).
Table GemmCsvTable(const GemmReport& report);

// What the child (`bench gemm --openblas-only`) measures and sends back.
struct OpenBlasRow {
  int n = 0;
  int threads = 0;
  double gflops = 0;
  double checksum = 0;  // sum of C
  double abs_sum = 0;   // sum of |C|: the scale to compare checksums against
};
struct OpenBlasRun {
  std::string core;  // openblas_get_corename()
  std::vector<OpenBlasRow> rows;
};
// A pb::OpenBlasRun on one line.
std::string OpenBlasRunJson(const OpenBlasRun& run);
// Parses OpenBlasRunJson's output; checksums survive bit for bit. An error
// names what is missing or malformed.
Result<OpenBlasRun> ParseOpenBlasRunJson(std::string_view json);

// Whether two runs' sums of the same C agree: |a - b| <= tolerance · abs_sum.
// Different kernels round differently, so bitwise equality is not expected.
bool ChecksumsAgree(double a, double b, double abs_sum, double tolerance = 1e-9);

}  // namespace parlab
