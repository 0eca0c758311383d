// Tour sections 8–11: benchmarking rules shown, timeit, profiling, memory.
// 9–11 present `parlab timeit`, `parlab profile` and `parlab memory` (their
// own headers) on the notebook's examples.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/notebook/memory_report.h"
#include "coordinator/notebook/profile_stages.h"
#include "coordinator/notebook/timeit_format.h"
#include "coordinator/notebook/timeit_runner.h"
#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

pb::TourFact Fact(std::string name, std::string value, std::string detail = "") {
  pb::TourFact fact;
  fact.set_name(std::move(name));
  fact.set_value(std::move(value));
  fact.set_detail(std::move(detail));
  return fact;
}

// "+12%", "-3%", "0%" (never "-0%").
std::string PercentOff(double value, double reference) {
  const double percent = reference > 0 ? 100.0 * (value - reference) / reference : 0;
  const long rounded = std::lround(percent);
  return rounded == 0 ? "0%" : fmt::format("{:+d}%", rounded);
}

// --- 8. Benchmarking rules -------------------------------------------------

Status RunBenchmarkRules(TourContext& context, pb::TourSection& section) {
  const int n = context.quick ? 200 : 500;
  if (context.quick) section.add_notes("--quick: n=200");
  PARLAB_ASSIGN_OR_RETURN(KernelParams svd, KernelWithN("svd", n));
  const int all = context.cores;
  struct Way {
    std::string label;
    int warmup;
    int trials;
  };
  const int proper_trials = context.quick ? 5 : 10;
  const std::vector<Way> ways = {
      {fmt::format("SVD n={}: no warm-up, 5 trials", n), 0, 5},
      {fmt::format("SVD n={}: warm-up 1, one trial", n), 1, 1},
      {fmt::format("SVD n={}: warm-up 2, {} trials", n, proper_trials), 2, proper_trials}};
  std::vector<pb::TourRow> rows;
  // One after another, not in turns: the first job's first trial must be the
  // first SVD its session runs, cold.
  for (const Way& way : ways) {
    context.Step(way.label);
    const pb::JobSpec job = TourJob(svd, pb::BLAS, 1, all, 1, way.warmup, way.trials);
    PARLAB_ASSIGN_OR_RETURN(std::vector<JobOutcome> outcomes,
                            RunJobsInTurn({job}, context.task_line));
    const JobOutcome& outcome = outcomes.front();
    pb::TourRow row = RowFromJob(way.label, outcome);
    rows.push_back(row);
  }
  const pb::TourRow& proper = rows[2];
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i < 2) SetRowSpeedup(rows[i], proper);
    *section.add_rows() = rows[i];
  }
  const pb::TourRow& cold = rows[0];
  const pb::TourRow& single = rows[1];
  const double first = cold.times_s(0);
  double rest = 0;
  for (int i = 1; i < cold.times_s_size(); ++i) rest += cold.times_s(i);
  rest /= std::max(1, cold.times_s_size() - 1);
  section.add_conclusions(fmt::format(
      "without warm-up the first run took {} against {} for the next ones ({}): {}; the mean "
      "of those trials is {} off the proper mean",
      FormatSeconds(first), FormatSeconds(rest), Times(rest > 0 ? first / rest : 0),
      first > 1.2 * rest ? "the cold run (first touch of the inputs, thread start-up) inflates it"
                         : "on this run the cold start cost little (the process was already warm)",
      PercentOff(cold.mean_s(), proper.mean_s())));
  const bool inside =
      single.mean_s() >= proper.ci95_low_s() && single.mean_s() <= proper.ci95_high_s();
  section.add_conclusions(fmt::format(
      "one trial: {}, {} off the proper mean and {} its 95% CI — with one trial there is "
      "no spread to say whether a difference is noise",
      FormatSeconds(single.mean_s()), PercentOff(single.mean_s(), proper.mean_s()),
      inside ? "inside" : "outside"));
  section.add_conclusions(fmt::format(
      "properly: {} ± {} (CV {:.1f}%), 95% CI [{}, {}] over {} trials after {} warm-ups",
      FormatSeconds(proper.mean_s()), FormatSeconds(proper.std_s()),
      proper.mean_s() > 0 ? 100 * proper.std_s() / proper.mean_s() : 0,
      FormatSeconds(proper.ci95_low_s()), FormatSeconds(proper.ci95_high_s()), proper.trials(),
      proper.warmup()));

  context.Step("python3 svd_timing.py");
  Result<google::protobuf::Struct> answer = context.python.Run(
      "svd_timing.py",
      {"--n", std::to_string(n), "--warmup", "2", "--trials", std::to_string(proper_trials)},
      context.quick ? 60 : 300);
  if (!answer.ok()) {
    section.add_notes("Python: " + answer.status().message());
    return Status::Ok();
  }
  const std::optional<double> py_first = JsonNumber(*answer, "first_s");
  pb::TourRow py = RowFromTimes(
      fmt::format("Python: np.linalg.svd n={}, warm-up 2, {} trials", n, proper_trials), "python",
      JsonNumbers(*answer, "trials_s"), 2);
  py.set_n(n);
  if (py_first.has_value()) {
    pb::TourRow py_cold = RowFromTimes(fmt::format("Python: np.linalg.svd n={}, first call", n),
                                       "python", {*py_first}, 0);
    py_cold.set_n(n);
    SetRowSpeedup(py_cold, py);
    *section.add_rows() = py_cold;
  }
  SetRowSpeedup(py, proper);
  *section.add_rows() = py;
  section.add_conclusions(fmt::format(
      "NumPy's SVD (LAPACK gesdd, singular values only): {} ± {}, {} as fast as parlab's",
      FormatSeconds(py.mean_s()), FormatSeconds(py.std_s()), Times(py.speedup())));
  return Status::Ok();
}

// --- 9. timeit ---------------------------------------------------------------

Status RunTimeit(TourContext& context, pb::TourSection& section) {
  PARLAB_ASSIGN_OR_RETURN(KernelParams matmul, KernelWithN("matmul", context.quick ? 200 : 500));
  TimeitOptions options;
  options.params = matmul;
  options.repeats = context.quick ? 3 : 7;
  options.threads = context.cores;
  if (context.quick) options.min_repeat_s = 0.05;
  context.Step("timeit " + DescribeWorkload(matmul));
  PARLAB_ASSIGN_OR_RETURN(pb::TimeitReport result, Timeit(options));
  pb::TourRow row = RowFromTimes(
      fmt::format("%timeit A @ B ({}, {} threads)", DescribeWorkload(matmul), options.threads),
      "parlab", {result.per_loop_s().begin(), result.per_loop_s().end()}, 0);
  row.set_n(static_cast<int32_t>(matmul.n()));
  row.set_threads(options.threads);
  row.set_value(static_cast<double>(result.loops()));
  row.set_unit("loops per run");
  *section.add_rows() = row;
  section.add_facts()->CopyFrom(Fact("parlab timeit", TimeitLine(result),
                                     "best " + FormatTimeitSeconds(result.best_s()) + " per loop"));
  section.add_conclusions(fmt::format(
      "autorange chose {} loops per run so that one run lasts ≥ {}; the slowest run took {} the "
      "fastest{}",
      result.loops(), FormatSeconds(options.min_repeat_s),
      Times(result.best_s() > 0 ? result.worst_s() / result.best_s() : 0),
      result.best_s() > 0 && result.worst_s() > 4 * result.best_s()
          ? " — over 4×: IPython would warn that a result may be cached or the machine busy"
          : ""));
  return Status::Ok();
}

// --- 10. Profiling -----------------------------------------------------------

Status RunProfile(TourContext& context, pb::TourSection& section) {
  const Kernel* pca = FindKernel("pca");
  if (pca == nullptr) return Internal("tour: no pca kernel");
  ProfileOptions options;
  options.params = pca->Defaults();
  options.runs = context.quick ? 3 : 10;
  options.threads = 1;
  context.Step("profile " + DescribeWorkload(options.params));
  PARLAB_ASSIGN_OR_RETURN(ProfileReport report, ProfileStages(options));
  for (const StageRow& stage : report.stages) {
    pb::TourRow row;
    row.set_label("pca stage: " + stage.name);
    row.set_source("parlab");
    row.set_trials(static_cast<int32_t>(stage.calls));
    row.set_warmup(1);
    row.set_mean_s(stage.per_call_s);
    row.set_value(100 * stage.share);
    row.set_unit("% of the wall time");
    *section.add_rows() = row;
  }
  if (!report.stages.empty()) {
    const StageRow& top = report.stages.front();
    section.add_conclusions(fmt::format(
        "the bottleneck of {} is '{}': {:.0f}% of the time, {} per call; the stages cover "
        "{:.0f}% of the wall time",
        report.workload, top.name, 100 * top.share, FormatSeconds(top.per_call_s),
        report.wall_total_s > 0 ? 100 * report.staged_total_s / report.wall_total_s : 0));
  }
  return Status::Ok();
}

// --- 11. Memory --------------------------------------------------------------

Status RunMemory(TourContext& context, pb::TourSection& section) {
  MemoryOptions options;
  options.n = 1000;
  const Kernel* conv = FindKernel("conv");
  if (conv == nullptr) return Internal("tour: no conv kernel");
  options.conv = conv->Defaults();
  options.threads = 1;
  context.Step("memory: types and the CNN forward pass");
  PARLAB_ASSIGN_OR_RETURN(MemoryReport report, MeasureMemory(options));
  for (size_t i = 0; i < report.types.size(); ++i) {
    const MatrixTypeSize& type = report.types[i];
    std::string detail = type.eigen_type;
    if (i < report.measured_types.size() && report.measured_types[i].resident_known) {
      detail += ", resident once zeroed: " +
                FormatBytes(static_cast<double>(report.measured_types[i].resident_bytes));
    }
    section.add_facts()->CopyFrom(Fact(fmt::format("{}×{} {}", report.n, report.n, type.name),
                                       FormatBytes(static_cast<double>(type.bytes)), detail));
  }
  for (const CnnRow& layer : report.cnn.rows) {
    section.add_facts()->CopyFrom(
        Fact("CNN " + layer.name, layer.shape,
             fmt::format("parameters {}, output {}, im2col {}",
                         FormatBytes(static_cast<double>(layer.param_bytes)),
                         FormatBytes(static_cast<double>(layer.output_bytes)),
                         FormatBytes(static_cast<double>(layer.im2col_bytes)))));
  }
  auto bytes_row = [](std::string label, std::string source, double bytes) {
    pb::TourRow row;
    row.set_label(std::move(label));
    row.set_source(std::move(source));
    row.set_value(bytes / (1024.0 * 1024.0));
    row.set_unit("MiB");
    return row;
  };
  const double estimate = static_cast<double>(report.cnn.total_bytes);
  const double live = static_cast<double>(report.cnn.kernel_live_bytes());
  *section.add_rows() =
      bytes_row("CNN: the notebook's total (every part alive at once)", "parlab", estimate);
  *section.add_rows() =
      bytes_row("CNN: what the conv kernel keeps alive (buffers reused)", "parlab", live);
  if (report.peak.has_value()) {
    const double measured = static_cast<double>(report.peak->kernel_share_bytes());
    *section.add_rows() = bytes_row(
        "CNN: measured peak RSS of a forward pass (above the child's baseline)", "child", measured);
    section.add_conclusions(fmt::format(
        "measured {} against the notebook's {} ({:.0f}%) and parlab's own {} ({:.0f}%): the "
        "notebook's sum counts buffers that never coexist",
        FormatBytes(measured), FormatBytes(estimate), estimate > 0 ? 100 * measured / estimate : 0,
        FormatBytes(live), live > 0 ? 100 * measured / live : 0));
  } else {
    section.add_notes("peak not measured: " + report.peak_note);
  }
  return Status::Ok();
}

}  // namespace

TourSection BenchmarkRulesSection() {
  return {"benchmark-rules",
          "8. Benchmarking rules, shown rather than told",
          "Warm up first (the first call pays for cold caches, page faults and thread start-up), "
          "run several trials and report mean ± std with a confidence interval. The same SVD of "
          "a 500×500 matrix measured three ways: without warm-up, with a single trial, and "
          "properly.",
          6,
          2,
          RunBenchmarkRules};
}

TourSection TimeitSection() {
  return {"timeit",
          "9. timeit: the loop count chosen for you",
          "IPython's %timeit runs a statement in a loop whose count grows until one run lasts "
          "at least 0.2 s, repeats that run (7 times), and reports mean ± std per loop. "
          "`parlab timeit` does the same for any workload; here the notebook's A @ B.",
          4,
          1,
          RunTimeit};
}

TourSection ProfileSection() {
  return {"profile",
          "10. Profiling: where the PCA workflow spends its time",
          "The notebook profiles a PCA (1000×100 → 10 components) with cProfile. parlab's pca "
          "kernel times its own stages — normalise, covariance, SVD, projection — which "
          "`parlab profile pca` sums over calls, longest first.",
          1,
          1,
          RunProfile};
}

TourSection MemorySection() {
  return {"memory",
          "11. Memory: matrix sizes per type, and a CNN's forward pass",
          "A 1000×1000 matrix per element type, then the notebook's estimate for a small CNN "
          "(batch 32, 3×64×64, conv 32 / pool / conv 64 / pool / conv 128) per layer, against "
          "the peak resident memory of a child process that runs that forward pass "
          "(`parlab memory`).",
          3,
          2,
          RunMemory};
}

}  // namespace parlab
