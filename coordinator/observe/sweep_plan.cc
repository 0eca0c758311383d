#include "coordinator/observe/sweep_plan.h"

#include <algorithm>
#include <string>

#include "coordinator/runtime/job_spec.h"

namespace parlab {

Result<std::vector<int>> ParseWorkerList(std::string_view list) {
  std::vector<int> workers;
  const std::string max = std::to_string(kMaxWorkers);
  if (list.empty()) return InvalidArgument("--workers: give a list like 1,2,4,8");
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string entry(list.substr(start, comma - start));
    const bool digits =
        !entry.empty() && entry.size() <= 9 &&
        std::all_of(entry.begin(), entry.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      return InvalidArgument("--workers: '" + entry + "' in '" + std::string(list) +
                             "' is not a worker count; give whole numbers 1.." + max +
                             " separated by commas, like 1,2,4,8");
    }
    const int count = std::stoi(entry);
    if (count < 1 || count > static_cast<int>(kMaxWorkers)) {
      return InvalidArgument("--workers: " + entry + " is out of range 1.." + max);
    }
    if (std::find(workers.begin(), workers.end(), count) != workers.end()) {
      return InvalidArgument("--workers: " + entry + " is listed twice");
    }
    workers.push_back(count);
    start = comma + 1;
  }
  std::sort(workers.begin(), workers.end());
  return workers;
}

Result<std::vector<pb::Mode>> ParseSweepModes(std::string_view list) {
  if (list.empty()) return InvalidArgument("--modes: give a list like threads,gil,procs");
  Result<std::vector<pb::Mode>> modes = ParseModeList(list);
  if (!modes.ok()) return InvalidArgument("--modes: " + modes.status().message());
  for (size_t i = 0; i < modes->size(); ++i) {
    if (std::find(modes->begin(), modes->begin() + static_cast<std::ptrdiff_t>(i), (*modes)[i]) !=
        modes->begin() + static_cast<std::ptrdiff_t>(i)) {
      return InvalidArgument("--modes: " + std::string(ModeName((*modes)[i])) + " is listed twice");
    }
  }
  modes->erase(std::remove(modes->begin(), modes->end(), pb::SEQ), modes->end());
  if (modes->empty()) {
    return InvalidArgument(
        "--modes: list at least one parallel mode (threads, gil, procs, blas, "
        "hybrid); seq is always measured as the reference");
  }
  return modes;
}

pb::JobSpec SweepJob(const pb::JobSpec& base, pb::Mode mode, int workers, int usable_cores,
                     bool threads_given) {
  pb::JobSpec job = base;
  job.set_mode(mode);
  job.set_workers(workers);
  if (mode == pb::THREADS || mode == pb::GIL || mode == pb::PROCS || mode == pb::SEQ) {
    job.set_threads(1);
  }
  if (!threads_given) {
    if (mode == pb::BLAS) job.set_threads(workers);
    if (mode == pb::HYBRID) job.set_threads(std::max(1, usable_cores / workers));
  }
  return job;
}

StudyPlan PlanSweep(const pb::JobSpec& base, const std::vector<int>& workers,
                    const std::vector<pb::Mode>& modes, int usable_cores, bool threads_given) {
  StudyPlan plan;
  for (int count : workers) {
    StudyStage& stage = plan.stages.emplace_back();
    for (pb::Mode mode : modes) {
      stage.jobs.push_back({SweepJob(base, mode, count, usable_cores, threads_given), ""});
    }
  }
  plan.reference = StudyJob{SweepJob(base, pb::SEQ, 1, usable_cores, false), "seq (reference)"};
  return plan;
}

}  // namespace parlab
