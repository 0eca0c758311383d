#pragma once
// procs and hybrid: W forked worker processes (parlab-worker), fed by one
// scheduler over the transport the job names (transport.h: shm by default,
// uds). hybrid is the same with T OpenMP/Eigen threads inside each task.
//
// The scheduler is the same whatever the wire: it builds the task specs
// (kernel, attempt, injected fault) and hands them out credit by credit (at
// most --inflight frames per worker, so unequal tasks balance themselves), in
// frames of up to the transport's tasks per frame; it keeps the trial's books
// in a TaskLedger and looks at the control plane (WorkerPool) between waits.
//
// Failure (docs/architecture.md, "The life of one task"): a worker that dies, runs a task
// past --task-timeout, stops heart-beating or sends something that cannot be
// right is killed if need be, the transport makes its channel new and a
// replacement takes its place; the tasks it held are requeued (TaskLedger
// charges only the one it was running: the one its board names on shm, its
// oldest unanswered frame's otherwise; after a corrupt answer, that frame's
// tasks). Workers that keep dying without any task being answered end the
// job instead of forking forever. Driven from the coordinator's thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/task_ledger.h"
#include "coordinator/runtime/transport.h"
#include "coordinator/runtime/worker_pool.h"

namespace parlab {

class ProcsMode final : public Mode, private AnswerSink {
 public:
  // Over MakeTransport(job).
  explicit ProcsMode(pb::JobSpec job);
  ProcsMode(pb::JobSpec job, std::unique_ptr<Transport> transport);
  ~ProcsMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;
  std::vector<pb::WorkerPlace> Places() const override;

  // Takes the trial's tasks from `feed` (command tasks) instead of
  // job.tasks() alike ones; it must outlive the trials. Before RunTrial.
  void set_feed(TaskFeed* feed) { feed_ = feed; }

  // Tasks per frame that --chunk auto (0) picks: Pool.map's rule,
  // ceil(tasks / (4 × workers)).
  static int AutoChunk(int64_t tasks, int workers);

 private:
  // A worker's frames in flight, oldest first: at most --inflight (credits
  // bound it), in a fixed ring, so the hot path allocates nothing.
  class FramesInFlight {
   public:
    explicit FramesInFlight(int capacity) : entries_(static_cast<size_t>(capacity)) {}
    void Push(uint64_t first_id, int tasks, int64_t now_ns);
    // The oldest was answered at now_ns: the next one's task starts then.
    void Pop(int64_t now_ns);
    void Clear() { count_ = 0; }
    // The first task of the oldest unanswered frame, since it became the oldest.
    std::optional<RunningTask> Oldest() const;
    // How many tasks the oldest unanswered frame carries (0: none in flight).
    int OldestTasks() const { return count_ == 0 ? 0 : entries_[head_].tasks; }

   private:
    struct Sent {
      RunningTask first;
      int tasks = 0;
    };
    std::vector<Sent> entries_;
    size_t head_ = 0;
    size_t count_ = 0;
  };

  // AnswerSink: what the transport delivers.
  Status OnAnswers(int worker, const pb::ResultFrame& answers, int64_t dequeued_ns) override;
  void OnCorrupt(int worker, const Status& why) override;

  // Sends `worker` the job's constants: first thing on a new channel.
  Status SendConstants(int worker);
  // Sends `worker` a frame of up to tasks_per_frame_ tasks from the ledger.
  Status SendTasks(int worker, TaskLedger& ledger);
  // Kills and replaces the workers the transport reported as corrupt.
  Status ReplaceCorrupt(TaskLedger& ledger);
  // Looks at the control plane: interrupts, dead, hung or silent workers.
  Status Supervise(TaskLedger& ledger);
  // The task `worker` runs, as the transport or our own books tell.
  std::optional<RunningTask> RunningTaskOf(int worker) const;
  // Requeues what `exit`'s worker held and starts its replacement. `why`
  // decides the blame: kCorruptAnswer charges the tasks of its oldest frame,
  // anything else the task it was running.
  Status Replace(const WorkerExit& exit, TaskOutcome why, TaskLedger& ledger);

  pb::JobSpec job_;
  // The pool before the transport: the transport's sockets are bound to the
  // pool's io_context, so they must go first (members die in reverse).
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Transport> transport_;
  int tasks_per_frame_ = 1;
  TaskLedger* ledger_ = nullptr;  // the trial RunTrial is running, for OnAnswers
  TaskFeed* feed_ = nullptr;      // command tasks: where they come from
  std::vector<int> credits_;      // frames each worker may still be sent
  std::vector<FramesInFlight> in_flight_;
  std::vector<std::pair<int, std::string>> corrupt_;  // reported, not yet replaced
  std::vector<uint64_t> frame_slots_;                 // reused by SendTasks
  pb::Frame constants_;  // the job's JobConstants, but for each worker's payload
  pb::Frame request_;    // a TaskFrame, reused: its cleared arrays keep their room
  uint64_t frames_sent_ = 0;
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
