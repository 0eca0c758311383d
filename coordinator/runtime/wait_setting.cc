#include "coordinator/runtime/wait_setting.h"

#include <algorithm>

#include "coordinator/runtime/job_spec.h"
#include "shared/platform/affinity.h"
#include "shared/shm/wait_policy.h"

namespace parlab {

WaitSetting WaitSettingFor(const pb::JobSpec& job) {
  WaitSetting setting;
  // The coordinator waits too: for answers (each of its dispatcher threads),
  // or for a trial's end.
  const bool in_workers = job.mode() == pb::PROCS || job.mode() == pb::HYBRID;
  setting.waiters = std::max(1, ParallelUnits(job)) + (in_workers ? DispatchersFor(job) : 1);
  Result<std::vector<int>> cpus = AllowedCpus();
  setting.cores = cpus.ok() ? std::max<int>(1, static_cast<int>(cpus->size())) : 1;
  if (FromProto(job.wait()) == WaitPolicy::kAdaptive) setting.wake_cost_ns = MeasureWakeCostNs();
  return setting;
}

}  // namespace parlab
