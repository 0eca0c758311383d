#include "coordinator/runtime/mode.h"

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/procs_mode.h"
#include "coordinator/runtime/sequential_mode.h"
#include "coordinator/runtime/thread_pool_mode.h"

namespace parlab {

Result<std::unique_ptr<Mode>> MakeMode(const pb::JobSpec& job) {
  switch (job.mode()) {
    case pb::SEQ:
      return std::unique_ptr<Mode>(new SequentialMode(job, 1));
    case pb::BLAS:
      return std::unique_ptr<Mode>(new SequentialMode(job, job.threads()));
    case pb::THREADS:
      return std::unique_ptr<Mode>(new ThreadPoolMode(job, false));
    case pb::GIL:
      return std::unique_ptr<Mode>(new ThreadPoolMode(job, true));
    case pb::PROCS:
    case pb::HYBRID:
      // One scheduler; the transport is the job's (shm or uds).
      return std::unique_ptr<Mode>(new ProcsMode(job));
    default:
      break;
  }
  return FailedPrecondition("mode '" + std::string(ModeName(job.mode())) +
                            "' is not available in this build");
}

}  // namespace parlab
