#include "coordinator/bench/bench_gemm_report.h"

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>

#include "coordinator/report/json_text.h"

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
  std::string rows;
  for (const GemmRow& row : r.rows) {
    if (!rows.empty()) rows += ",";
    rows += fmt::format(
        "{{\"n\":{},\"threads\":{},\"parlab_gflops\":{},\"openblas_gflops\":{},"
        "\"openblas_coretype_gflops\":{},\"eigen_own_gflops\":{},\"ratio\":{},"
        "\"eigen_own_ratio\":{},\"peak_fraction\":{}}}",
        row.n, row.threads, JsonNumber(row.parlab_gflops, 3), JsonNumber(row.openblas_gflops, 3),
        row.openblas_coretype_gflops ? JsonNumber(*row.openblas_coretype_gflops, 3) : "null",
        row.eigen_own_gflops ? JsonNumber(*row.eigen_own_gflops, 3) : "null",
        JsonNumber(Ratio(row), 4),
        row.eigen_own_gflops ? JsonNumber(EigenOwnRatio(row), 4) : "null",
        JsonNumber(PeakFraction(row, r.peak_gflops_per_core), 4));
  }
  const TargetVerdict verdict = CheckTarget(r.rows);
  return fmt::format(
      "{{\"rows\":[{}],\"peak_gflops_per_core\":{},\"peak_isa\":{},\"openblas_core\":{},"
      "\"openblas_core_choice\":{},"
      "\"openblas_best_core\":{},\"openblas_coretype\":{},\"backend\":{},\"trials\":{},"
      "\"statistic\":\"best\",\"max_relative_difference\":{},\"target_met\":{}}}",
      rows, JsonNumber(r.peak_gflops_per_core, 3), JsonQuote(r.peak_isa),
      JsonQuote(r.openblas_core), JsonQuote(r.openblas_core_choice),
      r.openblas_coretype.empty() ? "null" : JsonQuote(r.openblas_best_core),
      r.openblas_coretype.empty() ? "null" : JsonQuote(r.openblas_coretype), JsonQuote(r.backend),
      r.trials, JsonNumber(r.max_relative_difference),
      !verdict.measured ? "null"
      : verdict.met     ? "true"
                        : "false");
}

std::string OpenBlasRunJson(const OpenBlasRun& run) {
  std::string rows;
  for (const OpenBlasRow& row : run.rows) {
    if (!rows.empty()) rows += ",";
    rows += fmt::format("{{\"n\":{},\"threads\":{},\"gflops\":{},\"checksum\":{},\"abs_sum\":{}}}",
                        row.n, row.threads, JsonNumber(row.gflops), JsonNumber(row.checksum),
                        JsonNumber(row.abs_sum));
  }
  return fmt::format("{{\"core\":{},\"rows\":[{}]}}", JsonQuote(run.core), rows);
}

namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

Result<double> NumberField(const Struct& object, const std::string& name, size_t index) {
  const auto it = object.fields().find(name);
  if (it == object.fields().end() || it->second.kind_case() != Value::kNumberValue) {
    return InvalidArgument(fmt::format("rows[{}].{} is missing or not a number", index, name));
  }
  return it->second.number_value();
}

Result<int> IntField(const Struct& object, const std::string& name, size_t index) {
  PARLAB_ASSIGN_OR_RETURN(double value, NumberField(object, name, index));
  if (value != std::floor(value) || value < 1 || value > 1e9) {
    return InvalidArgument(fmt::format("rows[{}].{} must be a positive integer", index, name));
  }
  return static_cast<int>(value);
}

}  // namespace

Result<OpenBlasRun> ParseOpenBlasRunJson(std::string_view json) {
  Struct root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &root);
  if (!parsed.ok()) return InvalidArgument("not a JSON object: " + parsed.ToString());
  const auto& fields = root.fields();
  const auto core = fields.find("core");
  const auto rows = fields.find("rows");
  if (core == fields.end() || core->second.kind_case() != Value::kStringValue) {
    return InvalidArgument("\"core\" is missing or not a string");
  }
  if (rows == fields.end() || rows->second.kind_case() != Value::kListValue) {
    return InvalidArgument("\"rows\" is missing or not an array");
  }
  OpenBlasRun run;
  run.core = core->second.string_value();
  const auto& list = rows->second.list_value().values();
  for (int i = 0; i < list.size(); ++i) {
    const auto index = static_cast<size_t>(i);
    if (list.Get(i).kind_case() != Value::kStructValue) {
      return InvalidArgument(fmt::format("rows[{}] is not an object", index));
    }
    const Struct& object = list.Get(i).struct_value();
    Result<int> n = IntField(object, "n", index);
    Result<int> threads = IntField(object, "threads", index);
    Result<double> gflops = NumberField(object, "gflops", index);
    Result<double> checksum = NumberField(object, "checksum", index);
    Result<double> abs_sum = NumberField(object, "abs_sum", index);
    for (const Status* status : {&n.status(), &threads.status(), &gflops.status(),
                                 &checksum.status(), &abs_sum.status()}) {
      if (!status->ok()) return *status;
    }
    run.rows.push_back(OpenBlasRow{*n, *threads, *gflops, *checksum, *abs_sum});
  }
  return run;
}

bool ChecksumsAgree(double a, double b, double abs_sum, double tolerance) {
  return std::abs(a - b) <= tolerance * std::abs(abs_sum);
}

}  // namespace parlab
