#include "coordinator/runtime/trial_turns.h"

#include "coordinator/runtime/job_spec.h"

namespace parlab {

Status RunInTurns(const std::vector<Turn>& turns, int rounds, Progress* progress) {
  if (turns.empty() || rounds <= 0) return Status::Ok();
  if (progress != nullptr) progress->SetStage(turns.front().label);
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < turns.size(); ++i) {
      const Turn& turn = turns[i];
      Result<bool> ran = turn.session->RunNextTrial(progress);
      if (!ran.ok()) {
        if (progress != nullptr) progress->Clear();
        return Status(ran.status().code(), turn.label + ": " + ran.status().message());
      }
      if (progress != nullptr) {
        progress->SetStage(turns[(i + 1) % turns.size()].label);
      }
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
    case pb::SEQ:
      return mode;
    case pb::BLAS:
      return mode + ", " + plural(job.threads(), "thread");
    case pb::HYBRID:
      return mode + ", " + plural(job.workers(), "worker") + " x " +
             plural(job.threads(), "thread");
    default:
      return mode + ", " + plural(job.workers(), "worker");
  }
}

}  // namespace parlab
