#include "coordinator/bench/bench_gemm_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/report/json_output.h"
#include "proto/report.pb.h"

namespace parlab {
namespace {

double BestOpenBlas(const GemmRow& row) {
  return std::max(row.openblas_gflops, row.openblas_coretype_gflops.value_or(0.0));
}

}  // namespace

double Ratio(const GemmRow& row) {
  const double reference = BestOpenBlas(row);
  return reference > 0 ? row.parlab_gflops / reference : 0.0;
}

double EigenOwnRatio(const GemmRow& row) {
  const double reference = BestOpenBlas(row);
  return reference > 0 && row.eigen_own_gflops ? *row.eigen_own_gflops / reference : 0.0;
}

double PeakFraction(const GemmRow& row, double peak_gflops_per_core) {
  const double peak = peak_gflops_per_core * row.threads;
  return peak > 0 ? row.parlab_gflops / peak : 0.0;
}

TargetVerdict CheckTarget(const std::vector<GemmRow>& rows, const GemmTarget& target) {
  TargetVerdict verdict;
  verdict.met = true;
  for (const GemmRow& row : rows) {
    if (row.n < target.min_n) continue;
    verdict.measured = true;
    const double ratio = Ratio(row);
    if (ratio < target.min_ratio) {
      verdict.met = false;
      verdict.misses.push_back(fmt::format("n={} threads={}: {:.2f}", row.n, row.threads, ratio));
    }
  }
  verdict.met = verdict.measured && verdict.met;
  return verdict;
}

std::string GemmReportText(const GemmReport& r) {
  const bool child = !r.openblas_coretype.empty();
  const std::string configured = "OpenBLAS " + r.openblas_core;
  const std::string best = child ? "OpenBLAS " + r.openblas_best_core : "";
  const int configured_width = std::max<int>(12, static_cast<int>(configured.size()));
  const int best_width = std::max<int>(12, static_cast<int>(best.size()));

  std::string out;
  out += fmt::format(
      "parlab bench gemm: C = A·B, n×n doubles, column-major; GFLOPS = 2n³/s, "
      "best of {} trials after 1 warmup\n",
      r.trials);
  out += fmt::format("  parlab kernel:   matmul via {}\n", r.backend);
  out += fmt::format("  Eigen alone:     {} (column 'Eigen own')\n", r.eigen_own);
  out += fmt::format("  OpenBLAS:        core '{}', {}", r.openblas_core, r.openblas_core_choice);
  if (child) {
    out += fmt::format("; core '{}' with OPENBLAS_CORETYPE={} (child process)",
                       r.openblas_best_core, r.openblas_coretype);
  }
  out += "\n";
  out += fmt::format("  FMA peak:        {:.1f} GFLOPS per core ({}, measured)\n\n",
                     r.peak_gflops_per_core, r.peak_isa);

  out += fmt::format("{:>6}  {:>7}  {:>13}  {:>{}}", "n", "threads", "parlab GFLOPS", configured,
                     configured_width);
  if (child) out += fmt::format("  {:>{}}", best, best_width);
  out += fmt::format("  {:>5}  {:>9}  {:>9}  {:>5}\n", "ratio", "% of peak", "Eigen own", "ratio");
  for (const GemmRow& row : r.rows) {
    out += fmt::format("{:>6}  {:>7}  {:>13.1f}  {:>{}.1f}", row.n, row.threads, row.parlab_gflops,
                       row.openblas_gflops, configured_width);
    if (child) {
      if (row.openblas_coretype_gflops) {
        out += fmt::format("  {:>{}.1f}", *row.openblas_coretype_gflops, best_width);
      } else {
        out += fmt::format("  {:>{}}", "-", best_width);
      }
    }
    out += fmt::format("  {:>5.2f}  {:>8.0f}%", Ratio(row),
                       100 * PeakFraction(row, r.peak_gflops_per_core));
    if (row.eigen_own_gflops) {
      out += fmt::format("  {:>9.1f}  {:>5.2f}\n", *row.eigen_own_gflops, EigenOwnRatio(row));
    } else {
      out += fmt::format("  {:>9}  {:>5}\n", "-", "-");
    }
  }
  out +=
      "ratio = parlab (or Eigen own) / the faster OpenBLAS column; "
      "% of peak = parlab / (peak × threads)\n";

  const GemmTarget target;
  const TargetVerdict verdict = CheckTarget(r.rows, target);
  const std::string goal =
      fmt::format("target ratio >= {:.1f} for n >= {}", target.min_ratio, target.min_n);
  if (!verdict.measured) {
    out += goal + ": not measured (no size that large)\n";
  } else if (verdict.met) {
    out += goal + ": met at every thread count\n";
  } else {
    std::string misses;
    for (const std::string& miss : verdict.misses) misses += (misses.empty() ? "" : ", ") + miss;
    out += goal + ": NOT met (" + misses + ")\n";
  }
  return out;
}

std::string GemmReportJson(const GemmReport& r) {
  pb::BenchGemmReport m;
  for (const GemmRow& row : r.rows) {
    pb::BenchGemmReport::Row& out = *m.add_rows();
    out.set_n(row.n);
    out.set_threads(row.threads);
    out.set_parlab_gflops(row.parlab_gflops);
    out.set_openblas_gflops(row.openblas_gflops);
    if (row.openblas_coretype_gflops)
      out.set_openblas_coretype_gflops(*row.openblas_coretype_gflops);
    out.set_ratio(Ratio(row));
    out.set_peak_fraction(PeakFraction(row, r.peak_gflops_per_core));
    if (row.eigen_own_gflops) {
      out.set_eigen_own_gflops(*row.eigen_own_gflops);
      out.set_eigen_own_ratio(EigenOwnRatio(row));
    }
  }
  m.set_peak_gflops_per_core(r.peak_gflops_per_core);
  m.set_peak_isa(r.peak_isa);
  m.set_openblas_core(r.openblas_core);
  m.set_openblas_core_choice(r.openblas_core_choice);
  if (!r.openblas_coretype.empty()) {
    m.set_openblas_best_core(r.openblas_best_core);
    m.set_openblas_coretype(r.openblas_coretype);
  }
  m.set_backend(r.backend);
  m.set_eigen_own(r.eigen_own);
  m.set_trials(r.trials);
  m.set_statistic("best");
  m.set_max_relative_difference(r.max_relative_difference);
  const TargetVerdict verdict = CheckTarget(r.rows);
  if (verdict.measured) m.set_target_met(verdict.met);
  return ToJson(m);
}

Table GemmReportTable(const GemmReport& r) {
  const bool child = !r.openblas_coretype.empty();
  Table table;
  table.columns = {"n", "threads", "parlab GFLOPS", "OpenBLAS " + r.openblas_core + " GFLOPS"};
  if (child) table.columns.push_back("OpenBLAS " + r.openblas_best_core + " GFLOPS");
  table.columns.insert(table.columns.end(),
                       {"ratio", "% of peak", "Eigen own GFLOPS", "Eigen own ratio"});
  table.right_aligned.assign(table.columns.size(), true);
  for (const GemmRow& row : r.rows) {
    std::vector<std::string> cells = {std::to_string(row.n), std::to_string(row.threads),
                                      fmt::format("{:.1f}", row.parlab_gflops),
                                      fmt::format("{:.1f}", row.openblas_gflops)};
    if (child) {
      cells.push_back(
          row.openblas_coretype_gflops ? fmt::format("{:.1f}", *row.openblas_coretype_gflops) : "");
    }
    cells.push_back(fmt::format("{:.2f}", Ratio(row)));
    cells.push_back(fmt::format("{:.0f}%", 100 * PeakFraction(row, r.peak_gflops_per_core)));
    cells.push_back(row.eigen_own_gflops ? fmt::format("{:.1f}", *row.eigen_own_gflops) : "");
    cells.push_back(row.eigen_own_gflops ? fmt::format("{:.2f}", EigenOwnRatio(row)) : "");
    table.rows.push_back(std::move(cells));
  }
  return table;
}

Table GemmCsvTable(const GemmReport& r) {
  auto g = [](double v) { return fmt::format("{:.9g}", v); };
  Table table;
  table.columns = {
      "n",     "threads",       "parlab_gflops",    "openblas_gflops", "openblas_coretype_gflops",
      "ratio", "peak_fraction", "eigen_own_gflops", "eigen_own_ratio"};
  for (const GemmRow& row : r.rows) {
    table.rows.push_back(
        {std::to_string(row.n), std::to_string(row.threads), g(row.parlab_gflops),
         g(row.openblas_gflops),
         row.openblas_coretype_gflops ? g(*row.openblas_coretype_gflops) : std::string(),
         g(Ratio(row)), g(PeakFraction(row, r.peak_gflops_per_core)),
         row.eigen_own_gflops ? g(*row.eigen_own_gflops) : std::string(),
         row.eigen_own_gflops ? g(EigenOwnRatio(row)) : std::string()});
  }
  return table;
}

std::string OpenBlasRunJson(const OpenBlasRun& run) {
  pb::OpenBlasRun m;
  m.set_core(run.core);
  for (const OpenBlasRow& row : run.rows) {
    pb::OpenBlasRun::Row& out = *m.add_rows();
    out.set_n(row.n);
    out.set_threads(row.threads);
    out.set_gflops(row.gflops);
    out.set_checksum(row.checksum);
    out.set_abs_sum(row.abs_sum);
  }
  return ToJson(m);
}

Result<OpenBlasRun> ParseOpenBlasRunJson(std::string_view json) {
  pb::OpenBlasRun m;
  PARLAB_RETURN_IF_ERROR(FromJson(json, m));
  if (m.core().empty()) return InvalidArgument("\"core\" is missing or empty");
  OpenBlasRun run;
  run.core = m.core();
  for (int i = 0; i < m.rows_size(); ++i) {
    const pb::OpenBlasRun::Row& row = m.rows(i);
    if (row.n() < 1)
      return InvalidArgument(fmt::format("rows[{}].n must be a positive integer", i));
    if (row.threads() < 1) {
      return InvalidArgument(fmt::format("rows[{}].threads must be a positive integer", i));
    }
    if (!row.has_gflops()) return InvalidArgument(fmt::format("rows[{}].gflops is missing", i));
    if (!row.has_checksum()) return InvalidArgument(fmt::format("rows[{}].checksum is missing", i));
    if (!row.has_abs_sum()) return InvalidArgument(fmt::format("rows[{}].abs_sum is missing", i));
    run.rows.push_back(
        OpenBlasRow{row.n(), row.threads(), row.gflops(), row.checksum(), row.abs_sum()});
  }
  return run;
}

bool ChecksumsAgree(double a, double b, double abs_sum, double tolerance) {
  return std::abs(a - b) <= tolerance * std::abs(abs_sum);
}

}  // namespace parlab
