#include "coordinator/trial_turns.h"

#include "coordinator/job_spec.h"

namespace parlab {

Status RunInTurns(const std::vector<Turn>& turns, int rounds, Progress* progress) {
  for (int round = 0; round < rounds; ++round) {
    for (const Turn& turn : turns) {
      if (progress != nullptr) progress->SetStage(turn.label);
      Result<bool> ran = turn.session->RunNextTrial();
      if (!ran.ok()) {
        if (progress != nullptr) progress->Clear();
        return Status(ran.status().code(), turn.label + ": " + ran.status().message());
      }
      if (*ran && progress != nullptr) progress->AddDone(turn.tasks);
    }
  }
  return Status::Ok();
}

int64_t JobTaskCount(const pb::JobSpec& job) {
  return job.tasks() * (static_cast<int64_t>(job.warmup()) + job.trials());
}

std::string JobLabel(const pb::JobSpec& job) {
  const std::string mode(ModeName(job.mode()));
  auto plural = [](int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  switch (job.mode()) {
    case pb::SEQ: return mode;
    case pb::BLAS: return mode + ", " + plural(job.threads(), "thread");
    case pb::HYBRID:
      return mode + ", " + plural(job.workers(), "worker") + " x " +
             plural(job.threads(), "thread");
    default: return mode + ", " + plural(job.workers(), "worker");
  }
}

}  // namespace parlab
