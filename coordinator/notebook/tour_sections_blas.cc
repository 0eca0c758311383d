// Tour sections 3–7: the BLAS back-end, thread variables, matmul sizes, the
// thread count at start-up and at run time, and which operations use BLAS threads.

#include <cblas.h>
#include <fmt/format.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "coordinator/notebook/tour_child.h"
#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/eigen_gemm.h"
#include "shared/kernels/omp_threads.h"

extern "C" {
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
}

namespace parlab {
namespace {

pb::TourFact Fact(std::string name, std::string value, std::string detail = "") {
  pb::TourFact fact;
  fact.set_name(std::move(name));
  fact.set_value(std::move(value));
  fact.set_detail(std::move(detail));
  return fact;
}

pb::TourRow CountRow(std::string label, std::string source, int threads) {
  pb::TourRow row;
  row.set_label(std::move(label));
  row.set_source(std::move(source));
  row.set_value(threads);
  row.set_unit("threads");
  return row;
}

// Python's matmul rows for each size: NumPy's default threads, and 1 thread
// set at run time by threadpoolctl (when present). Notes why when absent.
void AddNumpyMatmul(const TourContext& context, pb::TourSection& section,
                    const std::vector<int>& sizes, int trials, bool one_thread_rows) {
  std::string list;
  for (int n : sizes) list += (list.empty() ? "" : ",") + std::to_string(n);
  context.Step("python3 numpy_matmul.py --sizes " + list);
  Result<google::protobuf::Struct> answer = context.python.Run(
      "numpy_matmul.py", {"--sizes", list, "--trials", std::to_string(trials)}, 600);
  if (!answer.ok()) {
    section.add_notes("Python: " + answer.status().message());
    return;
  }
  if (const google::protobuf::Struct* blas = JsonObject(*answer, "blas")) {
    section.add_notes(
        fmt::format("NumPy's BLAS (threadpoolctl): {} {}, {} threads ({}), kernels for {}",
                    JsonString(*blas, "internal_api"), JsonString(*blas, "version"),
                    JsonNumber(*blas, "num_threads").value_or(0),
                    JsonString(*blas, "threading_layer"), JsonString(*blas, "architecture")));
  }
  const auto it = answer->fields().find("sizes");
  if (it == answer->fields().end() || !it->second.has_list_value()) return;
  for (const auto& value : it->second.list_value().values()) {
    if (!value.has_struct_value()) continue;
    const google::protobuf::Struct& size = value.struct_value();
    const int n = static_cast<int>(JsonNumber(size, "n").value_or(0));
    const double flops = 2.0 * n * n * static_cast<double>(n);
    pb::TourRow def = RowFromTimes(fmt::format("NumPy A @ B n={} default threads", n), "python",
                                   JsonNumbers(size, "default_s"), 1);
    def.set_n(n);
    SetRowFlops(def, flops);
    const std::vector<double> one = JsonNumbers(size, "one_thread_s");
    if (one_thread_rows && !one.empty()) {
      pb::TourRow single = RowFromTimes(fmt::format("NumPy A @ B n={} 1 thread (threadpoolctl)", n),
                                        "python", one, 1);
      single.set_n(n);
      single.set_threads(1);
      SetRowFlops(single, flops);
      SetRowSpeedup(def, single);
      *section.add_rows() = single;
    }
    *section.add_rows() = def;
  }
}

// --- 3. BLAS back-ends -----------------------------------------------------

double MaxRelativeDifference(const double* x, const double* y, size_t count) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < count; ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

Status RunBlasBackends(TourContext& context, pb::TourSection& section) {
  const pb::EnvReport& env = context.env;
  const pb::EnvReport::Blas& blas = env.blas();
  section.add_facts()->CopyFrom(Fact("parlab's GEMM", blas.gemm_backend()));
  section.add_facts()->CopyFrom(
      Fact("Eigen", env.eigen().version(), "SIMD in use: " + env.eigen().simd_in_use()));
  section.add_facts()->CopyFrom(Fact("OpenBLAS", blas.openblas_version(),
                                     "kernels for " + blas.openblas_corename() + ", " +
                                         blas.openblas_parallel() + ", " +
                                         std::to_string(blas.openblas_num_threads()) + " threads"));
  section.add_facts()->CopyFrom(Fact("OpenMP", std::to_string(env.openmp().version()),
                                     std::to_string(env.openmp().max_threads()) + " threads"));

  const int n = context.quick ? 300 : 1000;
  const int trials = context.quick ? 3 : 5;
  const int threads = context.cores;
  PARLAB_ASSIGN_OR_RETURN(KernelParams params, KernelWithN("matmul", n));
  PARLAB_ASSIGN_OR_RETURN(KernelCall call, KernelCall::Make(params));
  context.Step(fmt::format("matmul n={}: parlab and OpenBLAS", n));
  double flops = 0;
  pb::TourRow parlab =
      RowFromTimes(fmt::format("parlab matmul n={} ({} threads)", n, threads), "parlab",
                   TimeTrials(1, trials, [&] { flops = call.Run(threads).flops; }), 1);
  parlab.set_n(n);
  parlab.set_threads(threads);
  SetRowFlops(parlab, flops);

  const size_t count = static_cast<size_t>(n) * static_cast<size_t>(n);
  const auto* a = static_cast<const double*>(call.input());
  // matmul's layout: A, then B at the next 64-byte boundary (matmul.h).
  const size_t b_offset = (count * sizeof(double) + 63) / 64 * 64 / sizeof(double);
  const double* b = a + b_offset;
  std::vector<double> c(count);
  openblas_set_num_threads(threads);
  pb::TourRow openblas = RowFromTimes(
      fmt::format("OpenBLAS cblas_dgemm n={} ({} threads)", n, openblas_get_num_threads()),
      "openblas",
      TimeTrials(1, trials,
                 [&] {
                   cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n,
                               0.0, c.data(), n);
                 }),
      1);
  openblas_set_num_threads(blas.openblas_num_threads());
  openblas.set_n(n);
  openblas.set_threads(threads);
  SetRowFlops(openblas, 2.0 * n * n * static_cast<double>(n));
  SetRowSpeedup(openblas, parlab);
  // Eigen's own GEMM, whatever this build's back-end (eigen_gemm.h).
  std::vector<double> c_eigen(count);
  pb::TourRow eigen = RowFromTimes(
      fmt::format("{} n={} ({} threads)", EigenOwnGemmName(), n, threads), "eigen",
      TimeTrials(1, trials, [&] { EigenOwnGemm(n, a, b, c_eigen.data(), threads); }), 1);
  eigen.set_n(n);
  eigen.set_threads(threads);
  SetRowFlops(eigen, 2.0 * n * n * static_cast<double>(n));
  SetRowSpeedup(eigen, parlab);
  const double difference =
      std::max(MaxRelativeDifference(static_cast<const double*>(call.output()), c.data(), count),
               MaxRelativeDifference(c_eigen.data(), c.data(), count));
  *section.add_rows() = parlab;
  *section.add_rows() = openblas;
  *section.add_rows() = eigen;
  section.add_conclusions(fmt::format(
      "OpenBLAS ran the same product {} as fast as parlab's GEMM ({:.1f} against {:.1f} GFLOPS); "
      "the results agree to {:.1e} (max relative difference){}",
      Times(openblas.speedup()), openblas.gflops(), parlab.gflops(), difference,
      difference <= 1e-9 ? "" : " — MORE than rounding explains"));
  section.add_conclusions(fmt::format("Eigen's own GEMM: {:.1f} GFLOPS, {} parlab's",
                                      eigen.gflops(), Times(eigen.gflops() / parlab.gflops())));
  AddNumpyMatmul(context, section, {n}, trials, false);
  for (const pb::TourRow& row : section.rows()) {
    if (row.source() == "python") {
      section.add_conclusions(fmt::format("NumPy's A @ B: {:.1f} GFLOPS, {} parlab's", row.gflops(),
                                          Times(row.gflops() / parlab.gflops())));
    }
  }
  return Status::Ok();
}

// --- 4. Thread variables ---------------------------------------------------

Status RunThreadVariables(TourContext& context, pb::TourSection& section) {
  for (const pb::EnvReport::ThreadVariable& v : context.env.thread_variables()) {
    section.add_facts()->CopyFrom(Fact(v.name(), v.has_value() ? v.value() : "unset",
                                       (v.obeyed() ? "read by " : "ignored: ") + v.read_by()));
  }
  *section.add_rows() = CountRow("this process: OpenMP (omp_get_max_threads)", "parlab",
                                 context.env.openmp().max_threads());
  *section.add_rows() = CountRow("this process: OpenBLAS (openblas_get_num_threads)", "parlab",
                                 context.env.blas().openblas_num_threads());
  // Each variable set to 1 alone in a fresh process, against none set.
  struct Probe {
    std::string variable;  // "" for none
    ChildProbe result;
  };
  std::vector<Probe> probes = {
      {"", {}}, {"OMP_NUM_THREADS", {}}, {"OPENBLAS_NUM_THREADS", {}}, {"MKL_NUM_THREADS", {}}};
  for (Probe& probe : probes) {
    context.Step("child process with " + (probe.variable.empty() ? "no variable" : probe.variable));
    std::map<std::string, std::string> set;
    if (!probe.variable.empty()) set[probe.variable] = "1";
    PARLAB_ASSIGN_OR_RETURN(ChildProbe result, RunChildProbe(set, 0, 0));
    probe.result = result;
    const std::string what = probe.variable.empty() ? "none set" : probe.variable + "=1";
    *section.add_rows() = CountRow(what + ": OpenMP", "child", result.omp_max_threads);
    *section.add_rows() = CountRow(what + ": OpenBLAS", "child", result.openblas_threads);
  }
  const ChildProbe& none = probes[0].result;
  for (size_t i = 1; i < probes.size(); ++i) {
    const ChildProbe& p = probes[i].result;
    std::vector<std::string> reached;
    if (p.omp_max_threads != none.omp_max_threads) reached.push_back("OpenMP");
    if (p.openblas_threads != none.openblas_threads) reached.push_back("OpenBLAS");
    std::string list = reached.empty() ? "nothing" : reached[0];
    if (reached.size() > 1) list += " and " + reached[1];
    section.add_conclusions(fmt::format(
        "{}=1 took effect in {} (OpenMP {} → {}, OpenBLAS {} → {} threads)", probes[i].variable,
        list, none.omp_max_threads, p.omp_max_threads, none.openblas_threads, p.openblas_threads));
  }
  return Status::Ok();
}

// --- 5. Matmul sizes -------------------------------------------------------

Status RunMatmulSizes(TourContext& context, pb::TourSection& section) {
  const std::vector<int> sizes =
      context.quick ? std::vector<int>{200, 400} : std::vector<int>{500, 1000, 2000, 3000};
  const int trials = context.quick ? 3 : 5;
  const int all = context.cores;
  for (int n : sizes) {
    PARLAB_ASSIGN_OR_RETURN(KernelParams params, KernelWithN("matmul", n));
    context.Step(fmt::format("matmul n={}: 1 and {} threads", n, all));
    Result<std::vector<pb::TourRow>> rows =
        CompareModes(params,
                     {{fmt::format("matmul n={} 1 thread", n), pb::BLAS, 1, 1},
                      {fmt::format("matmul n={} {} threads", n, all), pb::BLAS, 1, all}},
                     1, 1, trials, context.task_line);
    if (!rows.ok()) return rows.status();
    for (const pb::TourRow& row : *rows) *section.add_rows() = row;
    const Timing one = TimingOf((*rows)[0]);
    const Timing many = TimingOf((*rows)[1]);
    section.add_conclusions(
        fmt::format("n={}: {:.1f} GFLOPS on 1 thread, {:.1f} on {} — {} ({})", n,
                    (*rows)[0].gflops(), (*rows)[1].gflops(), all, Times((*rows)[1].speedup()),
                    CompareTimings(many, one) == Order::kUnclear
                        ? NotDistinguishable(many, one, context.quick ? kQuickRemedy : kQuietRemedy)
                        : ScalingWord((*rows)[1].speedup(), all)));
  }
  AddNumpyMatmul(context, section, sizes, trials, true);
  return Status::Ok();
}

// --- 6. Thread count at start-up vs at run time ----------------------------

Status RunThreadControl(TourContext& context, pb::TourSection& section) {
  const int n = context.quick ? 300 : 2000;
  const int trials = context.quick ? 3 : 3;
  const int all = context.cores;
  const double flops = 2.0 * n * n * static_cast<double>(n);
  std::vector<pb::TourRow> startup;
  for (int threads : {1, all}) {
    const std::string count = std::to_string(threads);
    context.Step("child process with OMP_NUM_THREADS=" + count);
    Result<ChildProbe> probe =
        RunChildProbe({{"OMP_NUM_THREADS", count}, {"OPENBLAS_NUM_THREADS", count}}, n, trials);
    if (!probe.ok()) return probe.status();
    pb::TourRow row =
        RowFromTimes(fmt::format("at start-up: OMP_NUM_THREADS={} (OpenMP then ran {})", count,
                                 probe->omp_max_threads),
                     "child", probe->matmul_s, 1);
    row.set_n(n);
    row.set_threads(probe->omp_max_threads);
    SetRowFlops(row, flops);
    if (!startup.empty()) SetRowSpeedup(row, startup.front());
    startup.push_back(row);
    *section.add_rows() = row;
  }

  PARLAB_ASSIGN_OR_RETURN(KernelParams params, KernelWithN("matmul", n));
  PARLAB_ASSIGN_OR_RETURN(KernelCall call, KernelCall::Make(params));
  std::vector<pb::TourRow> runtime;
  for (int threads : {1, all}) {
    context.Step(fmt::format("SetOpenMpThreads({}) in this process", threads));
    // The kernel calls SetOpenMpThreads(threads) itself: threadpoolctl's
    // threadpool_limits, in C++.
    SetOpenMpThreads(threads);
    const int took = OpenMpThreads();
    pb::TourRow row = RowFromTimes(
        fmt::format("at run time: SetOpenMpThreads({}) (OpenMP then ran {})", threads, took),
        "parlab", TimeTrials(1, trials, [&] { call.Run(threads); }), 1);
    row.set_n(n);
    row.set_threads(took);
    SetRowFlops(row, flops);
    if (!runtime.empty()) SetRowSpeedup(row, runtime.front());
    runtime.push_back(row);
    *section.add_rows() = row;
  }
  SetOpenMpThreads(context.env.openmp().max_threads());
  const double s_startup = startup[1].speedup();
  const double s_runtime = runtime[1].speedup();
  section.add_conclusions(
      fmt::format("{} threads against 1: {} when set at start-up, {} when set at run time — {}",
                  all, Times(s_startup), Times(s_runtime),
                  std::abs(s_startup - s_runtime) <= 0.2 * std::max(s_startup, s_runtime)
                      ? "the same effect; the run-time switch needs no new process"
                      : "the two ways differ by more than 20% on this run"));
  if (context.python.has_threadpoolctl()) {
    AddNumpyMatmul(context, section, {n}, trials, true);
    for (const pb::TourRow& row : section.rows()) {
      if (row.source() == "python" && !row.reference().empty()) {
        section.add_conclusions(fmt::format(
            "NumPy with threadpoolctl's limit lifted: {} its 1-thread time", Times(row.speedup())));
      }
    }
  } else {
    section.add_notes("Python: threadpoolctl is not installed (" + context.python.description() +
                      ")");
  }
  return Status::Ok();
}

// --- 7. Which operations use BLAS threads ----------------------------------

Status RunBlasOperations(TourContext& context, pb::TourSection& section) {
  const int n = context.quick ? 300 : 2000;
  // Eigen's nonsymmetric eigensolver is unblocked and serial: at n = 2000 it
  // alone would take minutes per call on the development VM.
  const int eig_n = context.quick ? 300 : 1000;
  const int trials = context.quick ? 2 : 3;
  const int all = context.cores;
  std::vector<std::string> threaded, serial, undecided;
  const std::string_view remedy = context.quick ? kQuickRemedy : kQuietRemedy;
  auto judge = [&](const std::string& op, const pb::TourRow& one, const pb::TourRow& many) {
    // Either list is a verdict against 1 thread: only from separate intervals.
    if (CompareTimings(TimingOf(many), TimingOf(one)) == Order::kUnclear) {
      undecided.push_back(fmt::format("{} {}: {}", op, Times(many.speedup()),
                                      NotDistinguishable(TimingOf(many), TimingOf(one), remedy)));
      return;
    }
    (many.speedup() >= 1.25 ? threaded : serial)
        .push_back(fmt::format("{} {}", op, Times(many.speedup())));
  };
  for (const char* op : {"matmul", "inv", "svd", "eig", "elementwise", "sum"}) {
    const int size = std::string(op) == "eig" ? eig_n : n;
    // The memory-bound operations take microseconds to milliseconds: more
    // trials, so one cold or disturbed run does not decide their verdict.
    const bool cheap = std::string(op) == "elementwise" || std::string(op) == "sum";
    PARLAB_ASSIGN_OR_RETURN(KernelParams params, KernelWithN(op, size));
    context.Step(fmt::format("{} n={}: 1 and {} threads", op, size, all));
    Result<std::vector<pb::TourRow>> rows =
        CompareModes(params,
                     {{fmt::format("{} n={} 1 thread", op, size), pb::BLAS, 1, 1},
                      {fmt::format("{} n={} {} threads", op, size, all), pb::BLAS, 1, all}},
                     1, cheap ? 2 : 1, cheap ? 10 : trials, context.task_line);
    if (!rows.ok()) return rows.status();
    for (const pb::TourRow& row : *rows) *section.add_rows() = row;
    judge(op, (*rows)[0], (*rows)[1]);
  }
  // Indexing: a row gather A[perm, :], as NumPy's fancy indexing; Eigen runs it
  // on the calling thread whatever the OpenMP count.
  context.Step(fmt::format("indexing n={}: 1 and {} threads", n, all));
  Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n);
  std::vector<int> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), std::mt19937(1));
  Eigen::MatrixXd gathered(n, n);
  std::vector<pb::TourRow> rows;
  for (int threads : {1, all}) {
    SetOpenMpThreads(threads);
    pb::TourRow row = RowFromTimes(
        fmt::format("indexing A[perm, :] n={} {} thread{}", n, threads, threads == 1 ? "" : "s"),
        "parlab", TimeTrials(2, 10, [&] { gathered = a(perm, Eigen::all); }), 2);
    row.set_n(n);
    row.set_threads(threads);
    if (!rows.empty()) SetRowSpeedup(row, rows.front());
    rows.push_back(row);
    *section.add_rows() = row;
  }
  SetOpenMpThreads(context.env.openmp().max_threads());
  judge("indexing", rows[0], rows[1]);
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? std::string("none") : out;
  };
  section.add_conclusions(fmt::format("{} threads helped (≥ 1.25×): {}", all, join(threaded)));
  section.add_conclusions(fmt::format("{} threads did not help: {}", all, join(serial)));
  for (const std::string& op : undecided) {
    section.add_conclusions(fmt::format("{} threads against 1, {}", all, op));
  }
  return Status::Ok();
}

}  // namespace

TourSection BlasBackendsSection() {
  return {"blas-backends",
          "3. BLAS back-ends: what this build uses, and what OpenBLAS gives",
          "NumPy hands matrix products to a BLAS library (OpenBLAS, MKL, Accelerate) that runs "
          "its own threads. parlab's matmul kernel runs Eigen, which hands GEMM to OpenBLAS "
          "(unless built with -DPARLAB_EIGEN_USE_BLAS=OFF). Below: what this binary uses (as "
          "parlab env says), then the same product through OpenBLAS's cblas_dgemm and through "
          "Eigen's own GEMM on the same matrices.",
          3,
          1,
          RunBlasBackends};
}

TourSection ThreadVariablesSection() {
  return {"thread-variables",
          "4. Thread variables: their values, and which took effect",
          "OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS... are read once, when each "
          "library starts. Their values here, then each set to 1 alone in a fresh child "
          "process, which reports what OpenMP (omp_get_max_threads) and OpenBLAS "
          "(openblas_get_num_threads) settled on.",
          2,
          1,
          RunThreadVariables};
}

TourSection MatmulSizesSection() {
  return {"matmul-sizes",
          "5. Matmul at growing sizes, with 1 and all BLAS threads",
          "C = A·B for n×n doubles (2n³ FLOPs), mean ± std over trials after a warm-up, with "
          "one thread and with every usable core; NumPy's A @ B beside it.",
          40,
          2,
          RunMatmulSizes};
}

TourSection ThreadControlSection() {
  return {"thread-control",
          "6. Setting the thread count at start-up, or changing it at run time",
          "The notebook's three ways: an environment variable before the process starts, the "
          "same set before NumPy is imported, and threadpoolctl's threadpool_limits at run "
          "time. parlab shows the first in a child process started with OMP_NUM_THREADS, and "
          "the last in this process with SetOpenMpThreads (omp_set_num_threads), on the same "
          "matmul.",
          15,
          2,
          RunThreadControl};
}

TourSection BlasOperationsSection() {
  return {"blas-operations",
          "7. Which operations use BLAS threads",
          "Matrix products and LAPACK-style factorisations (inv, svd, eig) split their work "
          "over threads; elementwise products, reductions and indexing are memory-bound loops "
          "NumPy runs on one thread. Each with 1 and all threads.",
          60,
          3,
          RunBlasOperations};
}

}  // namespace parlab
