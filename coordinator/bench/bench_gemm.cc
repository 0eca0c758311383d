#include "coordinator/bench/bench_gemm.h"

#include <cblas.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "coordinator/bench/bench_gemm_child.h"
#include "coordinator/bench/bench_gemm_report.h"
#include "coordinator/bench/fma_peak.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/openblas_core.h"
#include "coordinator/report/progress.h"
#include "shared/aligned_buffer.h"
#include "shared/check.h"
#include "shared/clock.h"
#include "shared/kernels/buffer_views.h"
#include "shared/kernels/eigen_gemm.h"
#include "shared/kernels/kernel.h"

// OpenBLAS's own controls. Declared here, as env_report.cc does, because
// Debian's <cblas.h> is an alternative that may belong to another BLAS.
extern "C" {
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
}

namespace parlab {
namespace {

#ifdef PARLAB_EIGEN_USE_BLAS
const std::string kBackend = "OpenBLAS dgemm (Eigen built with EIGEN_USE_BLAS)";
#else
const std::string kBackend = EigenOwnGemmName();
#endif

// One warmup, then `trials` timed runs; returns the fastest in seconds. The
// best rather than the median: on a shared machine other processes can only
// slow a run down, so the fastest trial is the least disturbed view of what the
// code can do (the argument of Python's timeit documentation); the median
// would partly measure the neighbours.
template <typename Fn>
double BestSeconds(int trials, Fn&& run, Progress* line = nullptr, int64_t work = 0) {
  run();
  if (line != nullptr) line->AddDone(work);
  int64_t best_ns = INT64_MAX;
  for (int i = 0; i < trials; ++i) {
    const int64_t start = NowNs();
    run();
    best_ns = std::min(best_ns, std::max<int64_t>(NowNs() - start, 1));
    // Drawn between calls, outside the timed interval.
    if (line != nullptr) line->AddDone(work);
  }
  return static_cast<double>(best_ns) * 1e-9;
}

// The progress line counts work, not calls: an n=3000 call is 216 n=500 ones.
int64_t CallMflop(int n) {
  const auto nd = static_cast<double>(n);
  return std::max<int64_t>(1, static_cast<int64_t>(2 * nd * nd * nd * 1e-6));
}

double Gflops(int n, double seconds) {
  const auto nd = static_cast<double>(n);
  return 2 * nd * nd * nd / seconds * 1e-9;
}

// A and B as the matmul kernel lays them out (matmul.h: A then B, each n×n
// column-major on a 64-byte boundary), filled by the kernel from its seed so
// the child process makes the very same matrices.
struct GemmInputs {
  KernelParams params;
  AlignedBuffer input;
  const double* a = nullptr;
  const double* b = nullptr;
};

GemmInputs MakeInputs(const Kernel& kernel, int n) {
  GemmInputs inputs;
  inputs.params = kernel.Defaults();
  inputs.params.set_n(n);
  const size_t matrix_bytes = static_cast<size_t>(n) * static_cast<size_t>(n) * sizeof(double);
  PARLAB_CHECK(kernel.InputBytes(inputs.params) == AlignUp64(matrix_bytes) + matrix_bytes)
      << "matmul's input layout is no longer A then B";
  inputs.input = AlignedBuffer(kernel.InputBytes(inputs.params));
  kernel.FillInput(inputs.params, inputs.input.mutable_bytes());
  inputs.a = ArrayAt<double>(inputs.input.const_bytes(), 0);
  inputs.b = ArrayAt<double>(inputs.input.const_bytes(), AlignUp64(matrix_bytes));
  return inputs;
}

void Dgemm(int n, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
}

// max |x - y| / max |y|: normwise, so entries near zero do not blow it up.
double MaxRelativeDifference(const double* x, const double* y, size_t count) {
  double diff = 0;
  double scale = 0;
  for (size_t i = 0; i < count; ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

OpenBlasRow MeasureOpenBlas(const GemmInputs& inputs, int threads, int trials,
                            AlignedBuffer& c_buffer, Progress* line = nullptr) {
  const int n = static_cast<int>(inputs.params.n());
  auto* c = reinterpret_cast<double*>(c_buffer.data());
  openblas_set_num_threads(threads);
  OpenBlasRow row;
  row.n = n;
  row.threads = threads;
  row.gflops = Gflops(n, BestSeconds(
                             trials, [&] { Dgemm(n, inputs.a, inputs.b, c); }, line, CallMflop(n)));
  for (size_t i = 0; i < static_cast<size_t>(n) * static_cast<size_t>(n); ++i) {
    row.checksum += c[i];
    row.abs_sum += std::abs(c[i]);
  }
  return row;
}

// The child's whole job: OpenBLAS alone, as the environment configured it.
Status RunOpenBlasOnly(const Kernel& kernel, const GemmOptions& options) {
  OpenBlasRun run;
  const char* core = openblas_get_corename();
  run.core = core != nullptr ? core : "unknown";
  for (int n : options.sizes) {
    const GemmInputs inputs = MakeInputs(kernel, n);
    AlignedBuffer c(kernel.OutputBytes(inputs.params));
    for (int threads : options.threads) {
      run.rows.push_back(MeasureOpenBlas(inputs, threads, options.trials, c));
    }
  }
  std::cout << OpenBlasRunJson(run) << "\n" << std::flush;
  return std::cout ? Status::Ok() : Internal("cannot write the report to stdout");
}

std::set<std::string> CpuFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCpuInfo(text.str()).flags;
}

Status RunGemm(const Kernel& kernel, const GemmOptions& options) {
  GemmReport report;
  report.trials = options.trials;
  report.backend = kBackend;
  report.openblas_core = OpenBlasCoreName();
  report.openblas_core_choice = OpenBlasCoreChoice();
  report.eigen_own = EigenOwnGemmName();
  // Per GEMM call, counted in Mflop (rate and ETA hold across sizes), on a
  // terminal only (report/progress.h).
  std::unique_ptr<Progress> line = Progress::OnStderr(0);
  line->SetUnit("Mflop");

  // First, while nothing else of ours runs: the peak, then the child.
  line->SetStage("bench gemm: FMA peak");
  const FmaPeak peak = MeasureFmaPeak();
  report.peak_gflops_per_core = peak.gflops_per_core;
  report.peak_isa = peak.isa;
  std::map<std::pair<int, int>, OpenBlasRow> child_rows;
  // The child shows what the best core gives; not needed when this process
  // already runs it by request (parlab's start, coordinator/cli/openblas_restart.h,
  // or the user's OPENBLAS_CORETYPE).
  std::string coretype(BestOpenBlasCore(CpuFlags()));
  const char* coretype_set = std::getenv("OPENBLAS_CORETYPE");
  if (coretype_set != nullptr && coretype == coretype_set) coretype.clear();
  // Each cell's calls: parlab's, Eigen's own and OpenBLAS's here, and the
  // child's OpenBLAS, a warm-up and the trials each.
  const int64_t kinds = coretype.empty() ? 3 : 4;
  int64_t child_mflop = 0;
  for (int n : options.sizes) {
    const int64_t cell =
        CallMflop(n) * (1 + options.trials) * static_cast<int64_t>(options.threads.size());
    line->AddTotal(cell * kinds);
    child_mflop += coretype.empty() ? 0 : cell;
  }
  if (!coretype.empty()) {
    line->SetStage("bench gemm: OpenBLAS with OPENBLAS_CORETYPE=" + coretype + " (child)");
    Result<OpenBlasRun> child =
        MeasureOpenBlasInChild(options.sizes, options.threads, options.trials, coretype);
    if (!child.ok()) return child.status();
    line->AddDone(child_mflop);
    report.openblas_coretype = coretype;
    report.openblas_best_core = child->core;
    for (const OpenBlasRow& row : child->rows) child_rows[{row.n, row.threads}] = row;
  }

  std::vector<std::string> disagreements;
  std::vector<std::string> notes;
  for (int n : options.sizes) {
    const GemmInputs inputs = MakeInputs(kernel, n);
    AlignedBuffer c_parlab(kernel.OutputBytes(inputs.params));
    AlignedBuffer c_openblas(kernel.OutputBytes(inputs.params));
    AlignedBuffer c_eigen(kernel.OutputBytes(inputs.params));
    for (int threads : options.threads) {
      line->SetStage(fmt::format("bench gemm: n={} threads={}", n, threads));
      // In an EIGEN_USE_BLAS build the kernel's GEMM runs on OpenBLAS's own
      // threads, which context.threads (omp_set_num_threads) does not reach;
      // without this the kernel would run on whatever count was set last.
      openblas_set_num_threads(threads);
      if (openblas_get_num_threads() != threads) {
        notes.push_back(fmt::format("OpenBLAS runs {} threads where {} were asked for",
                                    openblas_get_num_threads(), threads));
      }
      KernelContext context;
      context.threads = threads;
      KernelResult result;
      const double seconds = BestSeconds(
          options.trials,
          [&] {
            result = kernel.Run(inputs.params, inputs.input.const_bytes(), c_parlab.mutable_bytes(),
                                context);
          },
          line.get(), CallMflop(n));
      auto* c_eigen_data = reinterpret_cast<double*>(c_eigen.data());
      const double eigen_seconds = BestSeconds(
          options.trials, [&] { EigenOwnGemm(n, inputs.a, inputs.b, c_eigen_data, threads); },
          line.get(), CallMflop(n));
      const OpenBlasRow openblas =
          MeasureOpenBlas(inputs, threads, options.trials, c_openblas, line.get());

      const size_t count = static_cast<size_t>(n) * static_cast<size_t>(n);
      const auto* reference = reinterpret_cast<const double*>(c_openblas.data());
      const struct {
        const char* who;
        const AlignedBuffer& c;
      } results[] = {{"parlab's", c_parlab}, {"Eigen's own", c_eigen}};
      for (const auto& candidate : results) {
        const double difference = MaxRelativeDifference(
            reinterpret_cast<const double*>(candidate.c.data()), reference, count);
        report.max_relative_difference = std::max(report.max_relative_difference, difference);
        // 1e-9: both sum n products of values in [-1, 1); rounding differs by
        // about sqrt(n)·2^-53 ≈ 1e-14 relative, so 1e-9 only catches real errors.
        if (!(difference <= 1e-9)) {
          disagreements.push_back(
              fmt::format("n={} threads={}: {} C differs from OpenBLAS's by {:.3g} (relative)", n,
                          threads, candidate.who, difference));
        }
      }
      GemmRow row{n,
                  threads,
                  result.flops / seconds * 1e-9,
                  openblas.gflops,
                  std::nullopt,
                  Gflops(n, eigen_seconds)};
      if (!coretype.empty()) {
        const auto it = child_rows.find({n, threads});
        if (it == child_rows.end()) {
          disagreements.push_back(
              fmt::format("n={} threads={}: missing from the child", n, threads));
        } else {
          row.openblas_coretype_gflops = it->second.gflops;
          if (!ChecksumsAgree(it->second.checksum, openblas.checksum, openblas.abs_sum)) {
            disagreements.push_back(
                fmt::format("n={} threads={}: OpenBLAS checksums differ: {} here, {} with "
                            "OPENBLAS_CORETYPE={}",
                            n, threads, openblas.checksum, it->second.checksum, coretype));
          }
        }
      }
      report.rows.push_back(row);
    }
  }
  line.reset();  // erased before the report is printed

  if (options.json) {
    std::cout << GemmReportJson(report) << "\n";
  } else if (options.markdown) {
    std::cout << MarkdownTable(GemmReportTable(report));
  } else if (options.csv) {
    std::cout << CsvTable(GemmCsvTable(report));
  } else {
    std::cout << GemmReportText(report);
    if (disagreements.empty()) {
      std::cout << fmt::format(
          "results agree: parlab's and Eigen's C match OpenBLAS's to {:.1e} (max relative "
          "difference){}\n",
          report.max_relative_difference,
          coretype.empty() ? "" : "; OpenBLAS checksums match across both cores");
    }
  }
  std::cout << std::flush;
  for (const std::string& note : notes) std::cerr << "parlab: note: " << note << "\n";
  if (!disagreements.empty()) {
    for (const std::string& what : disagreements) std::cerr << "parlab: " << what << "\n";
    return Internal("bench gemm: results disagree");
  }
  return std::cout ? Status::Ok() : Internal("cannot write the report to stdout");
}

}  // namespace

Status RunBenchGemm(const GemmOptions& options) {
  const Kernel* kernel = FindKernel("matmul");
  if (kernel == nullptr) return Internal("bench gemm: no matmul kernel");
  if (options.openblas_only) return RunOpenBlasOnly(*kernel, options);
  return RunGemm(*kernel, options);
}

}  // namespace parlab
