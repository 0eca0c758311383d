#include "coordinator/notebook/profile_stages.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "coordinator/notebook/timeit_runner.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/report/table.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "shared/aligned_buffer.h"
#include "shared/clock.h"

namespace parlab {

ProfileReport AggregateStages(const std::vector<std::vector<StageTime>>& calls,
                              double wall_total_s) {
  std::map<std::string, StageRow> by_name;
  ProfileReport report;
  report.runs = static_cast<int>(calls.size());
  report.wall_total_s = wall_total_s;
  for (const std::vector<StageTime>& call : calls) {
    for (const StageTime& stage : call) {
      StageRow& row = by_name[stage.name];
      row.name = stage.name;
      row.calls += 1;
      row.total_s += static_cast<double>(stage.ns) * 1e-9;
    }
  }
  for (auto& [name, row] : by_name) {
    row.per_call_s = row.total_s / static_cast<double>(row.calls);
    row.share = wall_total_s > 0 ? row.total_s / wall_total_s : 0;
    report.staged_total_s += row.total_s;
    report.stages.push_back(row);
  }
  std::stable_sort(report.stages.begin(), report.stages.end(),
                   [](const StageRow& a, const StageRow& b) { return a.total_s > b.total_s; });
  return report;
}

Result<ProfileReport> ProfileStages(const ProfileOptions& options) {
  if (options.runs < 1 || options.runs > 10'000) {
    return InvalidArgument("--runs must be 1..10000, got " + std::to_string(options.runs));
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return InvalidArgument("--threads must be 1.." + std::to_string(kMaxThreads) + ", got " +
                           std::to_string(options.threads));
  }
  const Kernel* kernel = FindKernel(options.params.kernel());
  if (kernel == nullptr) {
    return InvalidArgument("unknown workload '" + options.params.kernel() +
                           "'; known: " + KernelNames());
  }
  PARLAB_RETURN_IF_ERROR(kernel->Validate(options.params));
  AlignedBuffer input(kernel->InputBytes(options.params));
  kernel->FillInput(options.params, input.mutable_bytes());
  AlignedBuffer output(kernel->OutputBytes(options.params));
  KernelContext context;
  context.threads = options.threads;
  Progress* progress = options.progress;
  if (progress != nullptr) {
    progress->StartCount(1 + int64_t{options.runs});
    progress->SetUnit("calls");
    progress->SetStage("profile " + DescribeWorkload(options.params));
  }

  // The warm-up call also tells whether the kernel has stages at all: the
  // kernels know (kernel.h: KernelResult.stages, today pca and conv).
  const KernelResult warmup =
      kernel->Run(options.params, input.const_bytes(), output.mutable_bytes(), context);
  if (progress != nullptr) progress->AddDone(1);
  if (warmup.stages.empty()) {
    return InvalidArgument("profile: workload '" + options.params.kernel() +
                           "' reports no stages to profile; workloads with stages: pca, conv" +
                           " (for the time of a whole call use `parlab timeit " +
                           options.params.kernel() + "`)");
  }
  std::vector<std::vector<StageTime>> calls;
  calls.reserve(static_cast<size_t>(options.runs));
  int64_t wall_ns = 0;
  for (int run = 0; run < options.runs; ++run) {
    const int64_t start_ns = NowNs();
    KernelResult result =
        kernel->Run(options.params, input.const_bytes(), output.mutable_bytes(), context);
    wall_ns += NowNs() - start_ns;
    calls.push_back(std::move(result.stages));
    if (progress != nullptr) progress->AddDone(1);  // outside the timed call
  }
  ProfileReport report = AggregateStages(calls, static_cast<double>(wall_ns) * 1e-9);
  report.workload = DescribeWorkload(options.params);
  report.threads = options.threads;
  return report;
}

void PrintProfile(const ProfileReport& report, std::ostream& out) {
  out << fmt::format("profile {}: {} call{} after 1 warm-up, {} thread{} inside the kernel\n",
                     report.workload, report.runs, report.runs == 1 ? "" : "s", report.threads,
                     report.threads == 1 ? "" : "s");
  out << "sorted by total time (stages do not nest: pstats' tottime and cumulative agree)\n\n";
  out << fmt::format("{:<22} {:>6} {:>12} {:>12} {:>7}\n", "stage", "calls", "total", "per call",
                     "share");
  for (const StageRow& row : report.stages) {
    out << fmt::format("{:<22} {:>6} {:>12} {:>12} {:>6.1f}%\n", row.name, row.calls,
                       FormatSeconds(row.total_s), FormatSeconds(row.per_call_s),
                       100.0 * row.share);
  }
  const double outside = report.unstaged_s();
  const double outside_share = report.wall_total_s > 0 ? outside / report.wall_total_s : 0;
  out << fmt::format("{:<22} {:>6} {:>12} {:>12} {:>6.1f}%\n", "(outside stages)", report.runs,
                     FormatSeconds(outside), FormatSeconds(outside / std::max(1, report.runs)),
                     100.0 * outside_share);
  out << fmt::format("{:<22} {:>6} {:>12} {:>12} {:>6.1f}%\n", "total (wall)", report.runs,
                     FormatSeconds(report.wall_total_s),
                     FormatSeconds(report.wall_total_s / std::max(1, report.runs)), 100.0);
}

std::string ProfileCsv(const ProfileReport& report) {
  Table table;
  table.columns = {"workload", "stage", "calls", "total_s", "per_call_s", "share"};
  auto g = [](double value) { return fmt::format("{:.9g}", value); };
  for (const StageRow& row : report.stages) {
    table.rows.push_back({report.workload, row.name, std::to_string(row.calls), g(row.total_s),
                          g(row.per_call_s), g(row.share)});
  }
  const double outside = report.unstaged_s();
  table.rows.push_back({report.workload, "(outside stages)", std::to_string(report.runs),
                        g(outside), g(outside / std::max(1, report.runs)),
                        g(report.wall_total_s > 0 ? outside / report.wall_total_s : 0)});
  return CsvTable(table);
}

}  // namespace parlab
