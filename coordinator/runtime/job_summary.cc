#include "coordinator/runtime/job_summary.h"

#include <algorithm>

#include "coordinator/runtime/job_spec.h"
#include "shared/build_info.h"
#include "shared/phases.h"
#include "shared/platform/child_process.h"
#include "shared/report_warnings.h"
#include "shared/stats.h"

namespace parlab {
namespace {

double MedianUs(std::vector<double>& values_ns) {
  if (values_ns.empty()) return 0;
  std::sort(values_ns.begin(), values_ns.end());
  return Percentile(values_ns, 50) * 1e-3;
}

// A failed task has no answer, so no phases: only answered tasks are split.
void SummarizePhases(const std::vector<TaskRecord>& answered, pb::JobSummary& summary) {
  PhaseSamples samples;
  double overhead_total = 0, compute_total = 0;
  for (const TaskPhases& p : SplitPhases(answered)) {
    samples.Add(p);
    overhead_total += static_cast<double>(p.overhead_ns());
    compute_total += static_cast<double>(p.compute_ns);
  }
  summary.set_encode_median_us(MedianUs(samples.encode));
  summary.set_queue_median_us(MedianUs(samples.queue));
  summary.set_wake_median_us(MedianUs(samples.wake));
  summary.set_decode_median_us(MedianUs(samples.decode));
  summary.set_compute_median_us(MedianUs(samples.compute));
  summary.set_return_median_us(MedianUs(samples.ret));
  std::vector<double>& overhead = samples.overhead;
  summary.set_overhead_median_us(MedianUs(overhead));  // sorts `overhead`
  summary.set_overhead_p99_us(overhead.empty() ? 0 : Percentile(overhead, 99) * 1e-3);
  const double total = overhead_total + compute_total;
  summary.set_ipc_share(total > 0 ? overhead_total / total : 0);
}

std::string DescribeFailure(const TaskRecord& record) {
  std::string text = "task " + std::to_string(record.id) + ": ";
  switch (record.outcome) {
    case TaskOutcome::kFailed:
      text += "the kernel refused it";
      break;
    case TaskOutcome::kTimedOut:
      text += "ran past --task-timeout";
      break;
    case TaskOutcome::kCorruptAnswer:
      text += "its answer came back corrupt";
      break;
    default:
      text += "its worker died";
      break;
  }
  if (record.signal != 0) {
    text += " (" + SignalName(record.signal) + ")";
  }
  text += ", " + std::to_string(record.attempt) + " attempt" + (record.attempt == 1 ? "" : "s");
  return text;
}

// Rows beyond this many failed tasks would drown the report: the count says the rest.
constexpr int kFailedTasksListed = 20;

}  // namespace

pb::JobSummary SummarizeJob(const JobOutcome& outcome, int usable_cores) {
  const pb::JobSpec& job = outcome.job;
  pb::JobSummary summary;
  summary.set_workload(job.kernel().kernel());
  summary.set_mode(std::string(ModeName(job.mode())));
  summary.set_workers(job.mode() == pb::SEQ || job.mode() == pb::BLAS ? 1 : job.workers());
  summary.set_threads(job.mode() == pb::BLAS || job.mode() == pb::HYBRID ? job.threads() : 1);
  summary.set_tasks(job.tasks());
  summary.set_warmup(job.warmup());
  summary.set_trials(job.trials());
  summary.set_startup_s(static_cast<double>(outcome.startup_ns) * 1e-9);

  std::vector<double> wall_s;
  for (int64_t ns : outcome.trial_wall_ns) wall_s.push_back(static_cast<double>(ns) * 1e-9);
  const Summary wall = Summarize(wall_s);
  summary.set_wall_mean_s(wall.mean);
  summary.set_wall_std_s(wall.stddev);
  summary.set_wall_median_s(wall.median);
  summary.set_wall_min_s(wall.min);
  summary.set_wall_max_s(wall.max);
  summary.set_wall_p95_s(wall.p95);
  summary.set_wall_p99_s(wall.p99);
  summary.set_wall_cv(wall.cv);
  summary.set_wall_ci95_low_s(wall.ci95_low);
  summary.set_wall_ci95_high_s(wall.ci95_high);
  std::vector<TaskRecord> answered;
  answered.reserve(outcome.records.size());
  for (const TaskRecord& record : outcome.records) {
    if (record.attempt > 1) summary.set_tasks_retried(summary.tasks_retried() + 1);
    if (record.outcome == TaskOutcome::kOk) {
      answered.push_back(record);
      continue;
    }
    summary.set_tasks_failed(summary.tasks_failed() + 1);
    if (summary.failed_tasks_size() < kFailedTasksListed) {
      summary.add_failed_tasks(DescribeFailure(record));
    }
  }
  if (wall.mean > 0) {
    summary.set_tasks_per_s(static_cast<double>(job.tasks()) / wall.mean);
    if (!answered.empty()) {
      const TaskRecord& first = answered.front();
      summary.set_gflops(first.flops * static_cast<double>(job.tasks()) / wall.mean * 1e-9);
      summary.set_gbps(first.bytes * static_cast<double>(job.tasks()) / wall.mean * 1e-9);
    }
  }
  if (!answered.empty()) summary.set_checksum(answered.front().checksum);
  SummarizePhases(answered, summary);

  const bool in_process = job.mode() != pb::PROCS && job.mode() != pb::HYBRID;
  const int processes = in_process ? 1 : job.workers();
  const int threads_per_process = in_process ? ParallelUnits(job) : job.threads();
  for (std::string& line :
       ReportWarnings(wall.cv, processes, threads_per_process, usable_cores, BuildType())) {
    summary.add_warnings(std::move(line));
  }
  for (const std::string& note : outcome.notes) summary.add_notes(note);
  return summary;
}

void SetSpeedup(pb::JobSummary& row, double reference_wall_mean_s, int parallel_units) {
  if (row.wall_mean_s() <= 0) return;
  row.set_speedup(reference_wall_mean_s / row.wall_mean_s());
  row.set_efficiency(row.speedup() / std::max(1, parallel_units));
}

}  // namespace parlab
