#include "coordinator/runtime/task_grain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "shared/clock.h"
#include "shared/stats.h"

namespace parlab {
namespace {

// The smallest number with two significant digits that is ≥ value: sizes
// that read at a glance (42,000,000), at most 10% above what was needed.
int64_t RoundUpTwoDigits(double value) {
  if (value <= 100) return static_cast<int64_t>(std::ceil(value));
  const double step = std::pow(10.0, std::floor(std::log10(value)) - 1);
  return static_cast<int64_t>(std::ceil(value / step) * step);
}

// One call of the prepared task, in seconds, from its compute stamps.
double TimeOneCall(LocalTask& task) {
  KernelContext context;
  TaskRecord record;
  task.Run(0, context, record);
  return static_cast<double>(record.t.compute_end_ns - record.t.compute_start_ns) * 1e-9;
}

}  // namespace

double GrainFloor(double dispatch_s) {
  return std::max(kMinGrainS, kDispatchFactor * std::max(0.0, dispatch_s));
}

Grain ChooseGrain(const GrainInput& input) {
  Grain grain;
  grain.floor_s = GrainFloor(input.dispatch_s);
  grain.target_s = std::max(grain.floor_s, input.reference_s);
  const double needed = std::ceil(grain.target_s / input.unit_s);
  if (static_cast<double>(input.given_size) >= needed) {
    grain.size = input.given_size;  // never shrunk: a longer task only helps
    grain.basis = GrainBasis::kGiven;
  } else {
    grain.size =
        needed >= static_cast<double>(kMaxGrainSize) ? kMaxGrainSize : RoundUpTwoDigits(needed);
    grain.basis = input.reference_s > grain.floor_s                 ? GrainBasis::kReference
                  : kDispatchFactor * input.dispatch_s > kMinGrainS ? GrainBasis::kDispatch
                                                                    : GrainBasis::kMinimum;
  }
  grain.task_s = static_cast<double>(grain.size) * input.unit_s;
  return grain;
}

std::string FormatGrainSize(int64_t size) {
  const std::string digits = std::to_string(size);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (size_t i = first; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
  return out;
}

std::string DescribeGrain(const Grain& grain, const GrainInput& input,
                          std::string_view reference_name) {
  const std::string floor = fmt::format(
      "the floor of {} (≥ {}, ≥ {:.0f}× dispatch{})", FormatSeconds(grain.floor_s),
      FormatSeconds(kMinGrainS), kDispatchFactor,
      input.dispatch_s > 0 ? " of " + FormatSeconds(input.dispatch_s) : ", not measured");
  std::string reference;
  if (!reference_name.empty()) {
    reference = input.reference_s > 0
                    ? fmt::format("{} here ({})", reference_name, FormatSeconds(input.reference_s))
                    : fmt::format("{}: not timed", reference_name);
  }
  const std::string lasts = fmt::format("a task lasts {} at {} a unit", FormatSeconds(grain.task_s),
                                        FormatSeconds(input.unit_s));
  switch (grain.basis) {
    case GrainBasis::kGiven:
      return fmt::format("{}: the size asked for already reaches {}{}", lasts, floor,
                         reference.empty() ? "" : " and " + reference);
    case GrainBasis::kReference:
      return fmt::format("{}: as long as {}, above {}", lasts, reference, floor);
    case GrainBasis::kDispatch:
    case GrainBasis::kMinimum:
      break;
  }
  return fmt::format("{}: {}{}", lasts, floor, reference.empty() ? "" : "; " + reference);
}

bool IsLoopLike(const KernelParams& params) {
  return params.kernel() == "loop" || params.kernel() == "spin";
}

std::string_view GrainSizeName(const KernelParams& params) {
  return params.kernel() == "spin" ? "us" : "n";
}

int64_t GrainSize(const KernelParams& params) {
  return params.kernel() == "spin" ? params.us() : params.n();
}

KernelParams WithGrainSize(const KernelParams& params, int64_t size) {
  KernelParams sized = params;
  if (params.kernel() == "spin") {
    sized.set_us(size);
  } else {
    sized.set_n(size);
  }
  return sized;
}

Result<double> MeasureUnitCost(const KernelParams& params) {
  // Grown by 4× from a size too small to time until one call lasts ≥ 1 ms,
  // well above the clock's resolution and a scheduler tick's share.
  int64_t size = 1000;
  for (;;) {
    PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(WithGrainSize(params, size), 1));
    TimeOneCall(task);  // caches, page faults, lazy set-up
    if (TimeOneCall(task) < 1e-3 && size < kMaxGrainSize / 4) {
      size *= 4;
      continue;
    }
    double fastest_s = TimeOneCall(task);
    for (int i = 0; i < 4; ++i) fastest_s = std::min(fastest_s, TimeOneCall(task));
    return std::max(1e-15, fastest_s / static_cast<double>(size));
  }
}

Result<double> MeasureDispatch(int workers) {
  pb::JobSpec job = DefaultJob();
  job.mutable_kernel()->set_kernel("noop");
  job.mutable_kernel()->set_seed(1);
  job.set_mode(pb::PROCS);
  job.set_workers(workers);
  job.set_threads(1);
  // One task per worker, one in flight each (else the first worker's credits
  // take every task, procs_mode.cc), and workers that sleep between tasks:
  // each round pays the blocking wake-ups that a worker idle between trials
  // pays, not the spinning hand-over of back-to-back noops.
  job.set_tasks(workers);
  job.set_inflight(1);
  job.set_wait(pb::BLOCK);
  job.set_warmup(3);
  job.set_trials(30);
  PARLAB_RETURN_IF_ERROR(ValidateJob(job));
  PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome, RunJob(job));
  std::vector<double> per_task_s;
  const size_t tasks = static_cast<size_t>(job.tasks());
  for (size_t trial = 0; trial < outcome.trial_wall_ns.size(); ++trial) {
    double compute_s = 0;
    for (size_t i = trial * tasks; i < (trial + 1) * tasks && i < outcome.records.size(); ++i) {
      const TaskStamps& t = outcome.records[i].t;
      compute_s += static_cast<double>(t.compute_end_ns - t.compute_start_ns) * 1e-9;
    }
    const double wall_s = static_cast<double>(outcome.trial_wall_ns[trial]) * 1e-9;
    per_task_s.push_back(std::max(0.0, wall_s * workers - compute_s) / static_cast<double>(tasks));
  }
  return Summarize(per_task_s).median;
}

Result<ComparableWork> SizeForComparison(const KernelParams& params, bool size_given, int workers) {
  ComparableWork work;
  work.params = params;
  if (!IsLoopLike(params)) return work;
  PARLAB_ASSIGN_OR_RETURN(const double unit_s, MeasureUnitCost(params));
  PARLAB_ASSIGN_OR_RETURN(const double dispatch_s, MeasureDispatch(std::max(1, workers)));
  GrainInput input;
  input.unit_s = unit_s;
  input.given_size = size_given ? GrainSize(params) : 0;
  input.dispatch_s = dispatch_s;
  const std::string name(GrainSizeName(params));
  if (size_given) {
    const double task_s = static_cast<double>(GrainSize(params)) * unit_s;
    const double floor_s = GrainFloor(dispatch_s);
    if (task_s >= floor_s) return work;
    work.under_floor = true;
    work.note = fmt::format(
        "--{} {} makes a task of {}, under the floor of {} (≥ {}, ≥ {:.0f}× the dispatch cost "
        "of {} measured here): the speedups measure dispatch as much as the modes; leave --{} "
        "out to size the task by time",
        name, FormatGrainSize(GrainSize(params)), FormatSeconds(task_s), FormatSeconds(floor_s),
        FormatSeconds(kMinGrainS), kDispatchFactor, FormatSeconds(dispatch_s), name);
    return work;
  }
  input.given_size = GrainSize(params);
  const Grain grain = ChooseGrain(input);
  work.params = WithGrainSize(params, grain.size);
  work.note =
      fmt::format("sized by time: --{} {} (default {}) — {}", name, FormatGrainSize(grain.size),
                  FormatGrainSize(GrainSize(params)), DescribeGrain(grain, input, ""));
  return work;
}

}  // namespace parlab
