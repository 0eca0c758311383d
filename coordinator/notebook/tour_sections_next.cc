// Tour section 14: the notebook's next steps — vectorisation, and convolution
// turned into a matrix product (im2col + GEMM).

#include <fmt/format.h>

#include <cmath>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/notebook/tour_sections_shared.h"
#include "coordinator/report/verdict.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/loop.h"

namespace parlab {
namespace {

__extension__ using Uint128 = unsigned __int128;

// sum of i*i for i in [0, n), exactly: n(n-1)(2n-1)/6 in 128 bits (n < 2^40).
Uint128 ExactSumOfSquares(uint64_t n) {
  const Uint128 big = n;
  return big * (big - 1) * (2 * big - 1) / 6;
}

// The loop vectorised as NumPy would write it, np.sum(np.arange(n, dtype=float)**2):
// blocks of indices as an Eigen array of doubles, squared and summed with
// SIMD. Each i*i is exact in a double (i < 2^26), the sums round.
double VectorisedSumOfSquares(uint64_t n) {
  constexpr Eigen::Index kBlock = 4096;
  static const Eigen::ArrayXd kBase = Eigen::ArrayXd::LinSpaced(kBlock, 0, kBlock - 1);
  double total = 0;
  uint64_t start = 0;
  for (; start + kBlock <= n; start += kBlock) {
    total += (kBase + static_cast<double>(start)).square().sum();
  }
  const Eigen::Index rest = static_cast<Eigen::Index>(n - start);
  if (rest > 0) total += (kBase.head(rest) + static_cast<double>(start)).square().sum();
  return total;
}

Status RunNextSteps(TourContext& context, pb::TourSection& section) {
  std::string agreement;
  PARLAB_ASSIGN_OR_RETURN(std::vector<pb::TourRow> vector_rows,
                          MeasureVectorisation(context, &agreement));
  for (const pb::TourRow& row : vector_rows) *section.add_rows() = row;
  const std::string_view remedy = context.quick ? kQuickRemedy : kQuietRemedy;
  const Timing scalar = TimingOf(vector_rows.front());
  const Timing vectorised = TimingOf(vector_rows.back());
  section.add_conclusions(fmt::format("vectorised: {} the scalar loop on one core ({})",
                                      CompareTimings(vectorised, scalar) == Order::kUnclear
                                          ? Times(vector_rows.back().speedup()) + " — " +
                                                NotDistinguishable(vectorised, scalar, remedy) +
                                                " —"
                                          : Times(vector_rows.back().speedup()),
                                      agreement));

  const Kernel* conv = FindKernel("conv");
  if (conv == nullptr) return Internal("tour: no conv kernel");
  KernelParams params = conv->Defaults();
  if (context.quick) params.set_batch(4);
  PARLAB_ASSIGN_OR_RETURN(KernelCall call, KernelCall::Make(params));
  const int trials = context.quick ? 2 : 3;
  section.add_facts()->CopyFrom([&] {
    pb::TourFact fact;
    fact.set_name("CNN");
    fact.set_value(fmt::format("batch {} of {}×{}×{} float32 images", params.batch(),
                               params.channels(), params.height(), params.width()));
    fact.set_detail("layers " + params.layers() + ", 3×3 convolutions as im2col + GEMM");
    return fact;
  }());
  std::vector<pb::TourRow> rows;
  KernelResult last;
  for (int threads : {1, context.cores}) {
    context.Step(fmt::format("conv batch={}: {} thread(s)", params.batch(), threads));
    pb::TourRow row =
        RowFromTimes(fmt::format("CNN forward pass, batch {}, {} thread{}", params.batch(), threads,
                                 threads == 1 ? "" : "s"),
                     "parlab", TimeTrials(1, trials, [&] { last = call.Run(threads); }), 1);
    row.set_threads(threads);
    SetRowFlops(row, last.flops);
    if (!rows.empty()) SetRowSpeedup(row, rows.front());
    rows.push_back(row);
    *section.add_rows() = row;
  }
  int64_t gemm_ns = 0, im2col_ns = 0, total_ns = 0;
  for (const StageTime& stage : last.stages) {
    total_ns += stage.ns;
    if (stage.name.find("gemm") != std::string::npos) gemm_ns += stage.ns;
    if (stage.name.find("im2col") != std::string::npos) im2col_ns += stage.ns;
  }
  if (total_ns > 0) {
    section.add_conclusions(fmt::format(
        "im2col + GEMM: the GEMMs take {:.0f}% of a forward pass and im2col {:.0f}% (last run, "
        "{} threads); {} threads ran the pass {} one thread's speed ({:.1f} GFLOPS) — {}",
        100.0 * static_cast<double>(gemm_ns) / static_cast<double>(total_ns),
        100.0 * static_cast<double>(im2col_ns) / static_cast<double>(total_ns), context.cores,
        context.cores, Times(rows.back().speedup()), rows.back().gflops(),
        CompareTimings(TimingOf(rows.back()), TimingOf(rows.front())) == Order::kUnclear
            ? NotDistinguishable(TimingOf(rows.back()), TimingOf(rows.front()), remedy)
        : rows.back().speedup() >= 1.25
            ? "the convolution became a matrix product, which BLAS threads speed up"
            : "the convolution became a matrix product that threads could split, yet they did "
              "not gain here (is the machine busy?)"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<pb::TourRow>> MeasureVectorisation(const TourContext& context,
                                                      std::string* agreement) {
  const uint64_t n = 5'000'000;
  const int trials = context.quick ? 5 : 20;
  context.Step("the loop: scalar and vectorised");
  uint64_t scalar_total = 0;
  double vector_total = 0;
  pb::TourRow scalar =
      RowFromTimes(kScalarLoop, "parlab",
                   TimeTrials(2, trials, [&] { scalar_total = LoopTotal(n, KernelContext{}); }), 2);
  pb::TourRow vectorised =
      RowFromTimes(kVectorisedLoop, "parlab",
                   TimeTrials(2, trials, [&] { vector_total = VectorisedSumOfSquares(n); }), 2);
  scalar.set_n(static_cast<int32_t>(n));
  vectorised.set_n(static_cast<int32_t>(n));
  scalar.set_threads(1);
  vectorised.set_threads(1);
  SetRowSpeedup(vectorised, scalar);
  const Uint128 exact = ExactSumOfSquares(n);
  const double exact_double = static_cast<double>(exact);
  if (agreement != nullptr) {
    // The scalar loop wraps modulo 2^64, as NumPy's int64 would; compare it
    // with the exact value modulo 2^64, and the doubles with the exact value.
    *agreement = fmt::format(
        "the scalar total is the exact sum mod 2^64: {}; the vectorised sum in doubles is off "
        "the exact value by {:.1e} relative",
        static_cast<uint64_t>(exact) == scalar_total ? "yes" : "no",
        std::abs(vector_total - exact_double) / exact_double);
  }
  return std::vector<pb::TourRow>{scalar, vectorised};
}

TourSection NextStepsSection() {
  return {"next-steps",
          "14. Next steps: vectorise, and turn convolutions into GEMM",
          "The notebook ends with two techniques: vectorisation (replace the element-by-element "
          "loop with whole-array operations the CPU runs several lanes at a time) and im2col "
          "(unfold each image patch into a column so a convolution becomes one matrix product "
          "that BLAS threads can split). Below: the loop both ways, and the conv kernel's CNN "
          "forward pass with 1 and all threads.",
          10,
          2,
          RunNextSteps};
}

}  // namespace parlab
