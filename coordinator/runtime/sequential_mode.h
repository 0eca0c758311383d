#pragma once
// seq and blas: the tasks one after another on the coordinator's own thread.
// seq runs each kernel on one thread; blas gives each kernel T OpenMP/Eigen
// threads inside (the notebook's "NumPy's built-in multi-threading").

#include <optional>

#include "coordinator/runtime/local_task.h"
#include "coordinator/runtime/mode.h"

namespace parlab {

class SequentialMode final : public Mode {
 public:
  SequentialMode(pb::JobSpec job, int threads_per_task);

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override {}

 private:
  pb::JobSpec job_;
  int threads_per_task_;
  std::optional<LocalTask> task_;
};

}  // namespace parlab
