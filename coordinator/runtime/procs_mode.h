#pragma once
// procs and hybrid: W forked worker processes (parlab-worker) fed through one
// shared-memory segment per job, as DESIGN.md's "One task's way":
// the task's input lives once in the segment's arena (only offsets travel),
// each worker has a request ring and a response ring of protobuf frames,
// scheduling is credit-based (at most K frames in flight per worker) and a
// frame may carry a chunk of tasks, as Pool.map's chunksize does. hybrid is
// the same with T OpenMP/Eigen threads inside each task.
//
// Waiting (--wait): spin polls the response rings and never enters the
// kernel; block sleeps on the segment's Doorbell (a futex) at once; adaptive
// spins for a while, then sleeps. Driven from the coordinator's thread only.
//
// Failure (DESIGN.md, "Failure and safety"): a worker that dies, runs a task
// past --task-timeout, stops heart-beating or sends something that cannot be
// right is killed if need be, its rings are formatted afresh and a
// replacement takes its place; the tasks it held are requeued (TaskLedger
// charges only the one it was running). Workers that keep dying without any
// task being answered end the job instead of forking forever.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/task_ledger.h"
#include "coordinator/runtime/worker_pool.h"
#include "shared/shm/doorbell.h"
#include "shared/shm/layout.h"
#include "shared/shm/segment.h"
#include "shared/shm/worker_board.h"

namespace parlab {

class ProcsMode final : public Mode {
 public:
  explicit ProcsMode(pb::JobSpec job);
  ~ProcsMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

  // Tasks per frame that --chunk auto (0) picks: Pool.map's rule,
  // ceil(tasks / (4 × workers)).
  static int AutoChunk(int64_t tasks, int workers);

 private:
  Status SendBatch(int worker, TaskLedger& ledger);
  // Takes every answer waiting in every response ring; returns how many
  // frames. A worker whose answer cannot be right is replaced.
  Result<int> Collect(TaskLedger& ledger);
  // Takes the answers waiting in one worker's response ring. An error is the
  // worker's fault (a corrupt frame, an answer for a task it does not hold).
  Result<int> Drain(int worker, TaskLedger& ledger);
  // Waits for the next answer according to the wait policy.
  Status WaitForAnswers(TaskLedger& ledger, int64_t& idle_since_ns);
  // Looks at the control plane: interrupts, dead, hung or silent workers.
  Status Supervise(TaskLedger& ledger);
  // Requeues what `exit`'s worker held and starts its replacement. `why`
  // decides the blame: kCorruptAnswer charges the tasks of its oldest frame,
  // anything else the task its board says it was running.
  Status Replace(const WorkerExit& exit, TaskOutcome why, TaskLedger& ledger);

  pb::JobSpec job_;
  WaitPolicy wait_;
  int chunk_ = 1;
  std::optional<Segment> segment_;
  std::optional<SegmentView> view_;
  std::vector<Ring> requests_;
  std::vector<Ring> responses_;
  Doorbell* doorbell_ = nullptr;
  uint64_t input_offset_ = 0;
  uint64_t input_bytes_ = 0;
  std::vector<uint64_t> output_offsets_;  // one per worker: its tasks run one after another
  uint64_t output_bytes_ = 0;
  std::vector<WorkerBoard*> boards_;   // one per worker, in the segment
  std::vector<int> credits_;           // frames each worker may still be sent
  std::vector<uint64_t> batch_slots_;  // reused by SendBatch
  std::unique_ptr<WorkerPool> pool_;
  pb::Frame request_;  // reused, so encoding allocates nothing once warm
  pb::Frame response_;
  std::string encoded_;
  uint64_t frames_sent_ = 0;
  uint64_t doorbell_sleeps_ = 0;
  int64_t last_supervised_ns_ = 0;
  // Failure accounting, for the report and for the give-up rule.
  int workers_replaced_ = 0;
  int tasks_requeued_ = 0;
  int tasks_failed_ = 0;
  int deaths_in_a_row_ = 0;  // without an answer in between
  uint64_t answers_since_death_ = 0;
  std::string last_death_;
  std::string first_task_error_;
};

}  // namespace parlab
