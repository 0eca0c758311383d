#include "coordinator/notebook/timeit_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/local_task.h"
#include "shared/clock.h"
#include "shared/task_record.h"

namespace parlab {
namespace {

constexpr int64_t kMaxLoops = 10'000'000'000;

// Runs the prepared task `loops` times; returns the seconds it took and keeps
// the last checksum.
double TimeLoops(LocalTask& task, const KernelContext& context, int64_t loops, double& checksum) {
  TaskRecord record;
  const int64_t start_ns = NowNs();
  for (int64_t i = 0; i < loops; ++i) task.Run(0, context, record);
  const int64_t end_ns = NowNs();
  checksum = record.checksum;
  return static_cast<double>(end_ns - start_ns) * 1e-9;
}

}  // namespace

int64_t AutorangeLoops(const std::function<double(int64_t)>& time_loops, double min_s) {
  for (int64_t decade = 1;; decade *= 10) {
    for (int64_t step : {1, 2, 5}) {
      const int64_t loops = decade * step;
      if (time_loops(loops) >= min_s || loops >= kMaxLoops) return loops;
    }
  }
}

void SummarizeTimings(pb::TimeitReport& result) {
  const auto& t = result.per_loop_s();
  if (t.empty()) return;
  result.set_best_s(*std::min_element(t.begin(), t.end()));
  result.set_worst_s(*std::max_element(t.begin(), t.end()));
  double sum = 0;
  for (double x : t) sum += x;
  const double mean = sum / static_cast<double>(t.size());
  result.set_mean_s(mean);
  double squares = 0;
  for (double x : t) squares += (x - mean) * (x - mean);
  result.set_std_s(std::sqrt(squares / static_cast<double>(t.size())));
}

std::string DescribeWorkload(const KernelParams& params) {
  std::string out = params.kernel();
  auto add = [&out](const char* name, int64_t value) {
    if (value != 0) out += std::string(" ") + name + "=" + std::to_string(value);
  };
  add("n", params.n());
  add("us", params.us());
  add("ms", params.ms());
  add("rows", params.rows());
  add("cols", params.cols());
  add("k", params.k());
  add("batch", params.batch());
  add("channels", params.channels());
  add("height", params.height());
  add("width", params.width());
  if (!params.layers().empty()) out += " layers=" + params.layers();
  return out;
}

Result<pb::TimeitReport> Timeit(const TimeitOptions& options) {
  if (options.repeats < 1 || options.repeats > 1000) {
    return InvalidArgument("--repeats must be 1..1000, got " + std::to_string(options.repeats));
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return InvalidArgument("--threads must be 1.." + std::to_string(kMaxThreads) + ", got " +
                           std::to_string(options.threads));
  }
  if (options.loops < 0 || options.loops > kMaxLoops) {
    return InvalidArgument("--loops must be 0 (calibrate) or 1..10000000000, got " +
                           std::to_string(options.loops));
  }
  PARLAB_ASSIGN_OR_RETURN(LocalTask task, LocalTask::Prepare(options.params, /*executors=*/1));

  pb::TimeitReport result;
  result.set_workload(DescribeWorkload(options.params));
  result.set_threads(options.threads);
  KernelContext context;
  context.threads = options.threads;
  double checksum = 0;
  int64_t loops = options.loops;
  Progress* progress = options.progress;
  if (progress != nullptr) {
    progress->SetUnit("calls");
    progress->StartCount(0);
    progress->SetStage("timeit " + result.workload() + ": calibrating the loops");
  }
  if (loops == 0) {
    loops = AutorangeLoops([&](int64_t count) { return TimeLoops(task, context, count, checksum); },
                           options.min_repeat_s);
  }
  result.set_loops(loops);
  result.mutable_per_loop_s()->Reserve(options.repeats);
  if (progress != nullptr) {
    progress->StartCount(loops * options.repeats);
    progress->SetStage(fmt::format("timeit {}: {} repeats of {} calls", result.workload(),
                                   options.repeats, loops));
  }
  for (int r = 0; r < options.repeats; ++r) {
    const double seconds = TimeLoops(task, context, loops, checksum);
    result.add_per_loop_s(seconds / static_cast<double>(loops));
    if (progress != nullptr) progress->AddDone(loops);  // between repeats, outside the timing
  }
  result.set_checksum(checksum);
  SummarizeTimings(result);
  return result;
}

}  // namespace parlab
