#include "coordinator/notebook/tour_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "coordinator/notebook/tour_python.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"
#include "shared/clock.h"
#include "shared/stats.h"

namespace parlab {

pb::TourRow RowFromTimes(std::string label, std::string source, const std::vector<double>& trial_s,
                         int warmup) {
  pb::TourRow row;
  row.set_label(std::move(label));
  row.set_source(std::move(source));
  const Summary s = Summarize(trial_s);
  row.set_trials(static_cast<int32_t>(trial_s.size()));
  row.set_warmup(warmup);
  row.set_mean_s(s.mean);
  row.set_std_s(s.stddev);
  row.set_ci95_low_s(s.ci95_low);
  row.set_ci95_high_s(s.ci95_high);
  row.set_min_s(s.min);
  for (double t : trial_s) row.add_times_s(t);
  return row;
}

pb::TourRow RowFromJob(std::string label, const JobOutcome& outcome) {
  std::vector<double> trial_s;
  for (int64_t ns : outcome.trial_wall_ns) trial_s.push_back(static_cast<double>(ns) * 1e-9);
  pb::TourRow row = RowFromTimes(std::move(label), "parlab", trial_s, outcome.job.warmup());
  row.set_mode(std::string(ModeName(outcome.job.mode())));
  const bool blas_threads = outcome.job.mode() == pb::BLAS || outcome.job.mode() == pb::HYBRID;
  row.set_threads(blas_threads ? outcome.job.threads() : 1);
  row.set_n(static_cast<int32_t>(outcome.job.kernel().n()));
  row.set_parallel_units(ParallelUnits(outcome.job));
  if (!outcome.records.empty() && outcome.records.front().flops > 0) {
    SetRowFlops(row, outcome.records.front().flops * static_cast<double>(outcome.job.tasks()));
  }
  return row;
}

void SetRowFlops(pb::TourRow& row, double flops) {
  row.set_flops(flops);
  row.set_gflops(row.mean_s() > 0 ? flops / row.mean_s() * 1e-9 : 0);
}

void SetRowSpeedup(pb::TourRow& row, const pb::TourRow& reference) {
  row.set_reference(reference.label());
  row.set_speedup(row.mean_s() > 0 ? reference.mean_s() / row.mean_s() : 0);
}

namespace {

int RowUnits(const pb::TourRow& row) {
  return row.parallel_units() > 0 ? row.parallel_units() : row.threads();
}

}  // namespace

void SetPossibleSpeedups(pb::TourSection& section, const pb::Ceiling& ceiling) {
  for (pb::TourRow& row : *section.mutable_rows()) {
    row.set_possible_speedup(0);
    if (row.reference().empty() || RowUnits(row) <= 0) continue;
    for (const pb::TourRow& reference : section.rows()) {
      if (reference.label() != row.reference()) continue;
      const int units = RowUnits(row);
      const int reference_units = RowUnits(reference);
      if (reference_units <= 0 || units <= reference_units) break;
      const double base = PossibleSpeedup(ceiling, reference_units);
      if (base > 0) row.set_possible_speedup(PossibleSpeedup(ceiling, units) / base);
      break;
    }
  }
}

Result<std::vector<JobOutcome>> RunJobsInTurn(const std::vector<pb::JobSpec>& jobs,
                                              Progress* line) {
  int64_t total_tasks = 0;
  for (const pb::JobSpec& job : jobs) {
    PARLAB_RETURN_IF_ERROR(ValidateJob(job));
    total_tasks += JobTaskCount(job);
  }
  if (line != nullptr) line->StartCount(total_tasks);
  std::vector<std::unique_ptr<JobSession>> sessions;
  for (const pb::JobSpec& job : jobs) {
    PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<JobSession> session, JobSession::Start(job, nullptr));
    sessions.push_back(std::move(session));
  }
  for (bool any_ran = true; any_ran;) {
    any_ran = false;
    for (std::unique_ptr<JobSession>& session : sessions) {
      PARLAB_ASSIGN_OR_RETURN(bool ran, session->RunNextTrial(line));
      any_ran = any_ran || ran;
    }
  }
  std::vector<JobOutcome> outcomes;
  for (std::unique_ptr<JobSession>& session : sessions) {
    PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome, session->Finish());
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

pb::JobSpec TourJob(const KernelParams& kernel, pb::Mode mode, int workers, int threads,
                    int64_t tasks, int warmup, int trials) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = kernel;
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_threads(threads);
  job.set_tasks(tasks);
  job.set_warmup(warmup);
  job.set_trials(trials);
  return job;
}

Result<KernelParams> KernelWithN(std::string_view kernel_name, int64_t n) {
  const Kernel* kernel = FindKernel(kernel_name);
  if (kernel == nullptr) return Internal(fmt::format("tour: no kernel {}", kernel_name));
  KernelParams params = kernel->Defaults();
  params.set_n(n);
  PARLAB_RETURN_IF_ERROR(kernel->Validate(params));
  return params;
}

Result<KernelCall> KernelCall::Make(const KernelParams& params) {
  const Kernel* kernel = FindKernel(params.kernel());
  if (kernel == nullptr) return Internal("tour: no kernel " + params.kernel());
  PARLAB_RETURN_IF_ERROR(kernel->Validate(params));
  KernelCall call(kernel, params);
  call.input_ = AlignedBuffer(kernel->InputBytes(params));
  call.output_ = AlignedBuffer(kernel->OutputBytes(params));
  kernel->FillInput(params, call.input_.mutable_bytes());
  return call;
}

KernelResult KernelCall::Run(int threads) {
  KernelContext context;
  context.threads = threads;
  return kernel_->Run(params_, input_.const_bytes(), output_.mutable_bytes(), context);
}

std::vector<double> TimeTrials(int warmup, int trials, const std::function<void()>& call) {
  for (int i = 0; i < warmup; ++i) call();
  std::vector<double> seconds;
  for (int i = 0; i < trials; ++i) {
    const int64_t start = NowNs();
    call();
    seconds.push_back(static_cast<double>(NowNs() - start) * 1e-9);
  }
  return seconds;
}

std::string Times(double ratio) { return fmt::format("{:.2f}×", ratio); }

}  // namespace parlab

namespace parlab {

Result<std::vector<pb::TourRow>> CompareModes(const KernelParams& kernel,
                                              const std::vector<ModeRun>& runs, int64_t tasks,
                                              int warmup, int trials, Progress* line) {
  std::vector<pb::JobSpec> jobs;
  for (const ModeRun& run : runs) {
    jobs.push_back(TourJob(kernel, run.mode, run.workers, run.threads, tasks, warmup, trials));
  }
  PARLAB_ASSIGN_OR_RETURN(std::vector<JobOutcome> outcomes, RunJobsInTurn(jobs, line));
  std::vector<pb::TourRow> rows;
  for (size_t i = 0; i < runs.size(); ++i) {
    pb::TourRow row = RowFromJob(runs[i].label, (outcomes)[i]);
    if (!rows.empty()) SetRowSpeedup(row, rows.front());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<pb::TourRow> PythonRows(const google::protobuf::Struct& answer,
                                    const std::vector<std::pair<std::string, std::string>>& keys) {
  std::vector<pb::TourRow> rows;
  for (const auto& [key, label] : keys) {
    const std::vector<double> trial_s = JsonNumbers(answer, key);
    if (trial_s.empty()) continue;
    pb::TourRow row = RowFromTimes(label, "python", trial_s, 0);
    if (!rows.empty()) SetRowSpeedup(row, rows.front());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ScalingWord(double speedup, int units) {
  if (speedup < 1.25) return "no gain";
  if (speedup >= 0.75 * units) return "scales";
  return "partly parallel";
}

}  // namespace parlab
