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
// job instead of forking forever.
//
// Dispatch (--dispatchers): by default the coordinator's thread sends every
// frame and takes every answer. With D > 1 dispatcher threads
// (procs_shards.cc), the workers are split into D contiguous groups, and each
// thread runs that same send-and-collect loop for its own group: it claims
// fresh task ids from the ledger in blocks (an atomic cursor), stamps,
// encodes, settles; the coordinator's thread only watches — the control
// plane, task timeouts, the trial's end — and, when a worker must be
// replaced, stops the threads, requeues and replaces exactly as above, and
// starts them again, so failure is handled in one place, by one thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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
    // Room past the capacity, never used: the entries of two workers'
    // rings (different dispatch shards') then never share a cache line.
    explicit FramesInFlight(int capacity)
        : entries_(static_cast<size_t>(capacity) + kUnusedEntries),
          capacity_(static_cast<size_t>(capacity)) {}
    void Push(uint64_t first_id, int tasks, int64_t now_ns);
    // The oldest was answered at now_ns: the next one's task starts then.
    void Pop(int64_t now_ns);
    void Clear() { count_ = 0; }
    size_t count() const { return count_; }
    // The first task of the oldest unanswered frame, since it became the oldest.
    std::optional<RunningTask> Oldest() const;
    // How many tasks the oldest unanswered frame carries (0: none in flight).
    int OldestTasks() const { return count_ == 0 ? 0 : entries_[head_].tasks; }

   private:
    struct Sent {
      RunningTask first;
      int tasks = 0;
    };
    static constexpr size_t kUnusedEntries = 64 / sizeof(RunningTask) + 1;
    std::vector<Sent> entries_;
    size_t capacity_;
    size_t head_ = 0;
    size_t count_ = 0;
  };

  // A worker's channel as the scheduler sees it, on a cache line of its own:
  // dispatch shards update their workers' channels at once.
  struct alignas(64) Channel {
    explicit Channel(int inflight) : frames(inflight) {}
    int credits = 0;           // frames it may still be sent
    FramesInFlight frames;     // sent, not yet answered
    uint64_t frames_sent = 0;  // numbers its frames for the ledger
  };

  // What one dispatcher (the coordinator's thread, or a shard's thread)
  // sends and counts with.
  struct alignas(64) Dispatch {
    std::vector<int> workers;           // the workers it drives
    pb::Frame request;                  // a TaskFrame, reused: its cleared arrays keep their room
    std::vector<uint64_t> frame_slots;  // reused by SendTasks
    uint64_t block_next = 0;            // fresh slots claimed from the ledger, not yet sent
    uint64_t block_end = 0;
    int frames_in_flight = 0;            // its workers', all together
    uint64_t answers = 0;                // tasks answered since the coordinator last looked
    std::atomic<int64_t> tasks_done{0};  // for the progress line; read by the coordinator
    int64_t tasks_done_told = 0;         // what the coordinator told the listener of
    bool corrupt = false;                // a worker of it said something wrong
    // The stamp it took last (a frame's enqueued, an answer's dequeued, or
    // the trial's start; or the clock after frames were sent that may have
    // woken a worker): what time it is for the decisions that need no clock
    // read of their own — when a wait began, whether to supervise.
    int64_t last_stamp_ns = 0;
    uint64_t idle_rounds = 0;  // rounds that took no stamp, for kIdleRoundsPerClockRead
  };

  // AnswerSink: what the transport delivers.
  Status OnAnswers(int worker, const pb::ResultFrame& answers, int64_t dequeued_ns) override;
  void OnCorrupt(int worker, const Status& why) override;

  // Sends `worker` the job's constants: first thing on a new channel.
  Status SendConstants(int worker);
  // Sends `worker` a frame of up to tasks_per_frame_ tasks from the ledger;
  // false, sending nothing, when other shards took the last ones first.
  Result<bool> SendTasks(int worker, TaskLedger& ledger, Dispatch& dispatch);
  // Sends each of `dispatch`'s workers with a credit one frame per round,
  // round after round, while there is work: filling worker 0's credits first
  // would hand a short trial (2 tasks, 2 workers, 2 in flight) wholly to
  // worker 0. Whether it sent any.
  Result<bool> SendRounds(TaskLedger& ledger, Dispatch& dispatch);
  // The dispatcher that drives `worker`.
  Dispatch& DispatchOf(int worker) {
    return *dispatch_[static_cast<size_t>(shard_of_[static_cast<size_t>(worker)])];
  }
  // Whether `dispatch` has a task to send, and the next one's slot (none:
  // with shards, another may have taken the last since HasWork looked).
  bool HasWork(const TaskLedger& ledger, const Dispatch& dispatch) const;
  std::optional<uint64_t> NextSlot(TaskLedger& ledger, Dispatch& dispatch);

  // Dispatch shards (procs_shards.cc). PlanShards splits the workers before
  // the transport starts; RunShards is RunTrial's loop with D threads.
  Status PlanShards();
  Status RunShards(TaskLedger& ledger);
  void StartShards(TaskLedger& ledger);
  void ShardLoop(int shard, TaskLedger& ledger);
  Status RunShard(Dispatch& dispatch, int shard, TaskLedger& ledger);
  // The coordinator's thread while shards run: returns when the trial is
  // done, a shard needs it, or a worker must be replaced.
  Status WatchShards();
  // Stops and joins the threads; what they claimed and did not send goes
  // back to the ledger, what they counted to the coordinator's books.
  void StopShards(TaskLedger& ledger);
  // Tells the listener of the tasks the dispatchers answered since last time.
  void TellTasksDone();
  // Some worker's task ran past --task-timeout.
  bool AnyTaskTimedOut() const;
  // Kills and replaces the workers the transport reported as corrupt.
  Status ReplaceCorrupt(TaskLedger& ledger);
  // Looks at the control plane: interrupts, dead, hung or silent workers.
  Status Supervise(TaskLedger& ledger);
  // The task `worker` runs, as the transport or our own books tell (also
  // what an AnswerSink tells its transport).
  std::optional<RunningTask> RunningTaskOf(int worker) const override;
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
  TaskLedger* ledger_ = nullptr;                     // the trial RunTrial is running, for OnAnswers
  TaskFeed* feed_ = nullptr;                         // command tasks: where they come from
  std::vector<Channel> channels_;                    // by worker
  std::vector<std::unique_ptr<Dispatch>> dispatch_;  // one per dispatcher; [0] alone by default
  std::vector<int> shard_of_;                        // by worker: its dispatcher
  std::mutex corrupt_mutex_;                         // shards report at once
  std::vector<std::pair<int, std::string>> corrupt_;  // reported, not yet replaced
  pb::Frame constants_;  // the job's JobConstants, but for each worker's payload
  // Dispatch shards: the threads, and what they tell the coordinator's thread.
  std::vector<std::thread> shard_threads_;
  std::atomic<bool> stop_shards_{false};
  std::mutex watch_mutex_;  // guards the three below
  std::condition_variable watch_;
  int shards_running_ = 0;
  bool attention_ = false;         // a shard failed or saw a corrupt answer
  Status shard_error_;             // the first shard's error
  std::vector<WorkerExit> exits_;  // seen while shards ran, replaced after
  bool shards_finished_ = false;   // WatchShards saw every shard end its part
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
