#pragma once
// threads and gil: W threads of this process run a trial's tasks, each
// claiming the next --chunk of them (default 1; 'auto' as Pool.map) from one
// shared lock-free counter (TaskClaims) and writing each task's record where
// it runs, in its own lane. Nothing is handed over per task — no lock, no
// condition variable, no wake-up — so threads against procs measures the
// process boundary and procs' dispatch, not a mutex. In gil mode the threads
// share one GlobalLock, as CPython's threads do.
//
// Stamps: a trial's tasks are all submitted and enqueued when the
// coordinator opens it; a task is dequeued when its thread claims it (or,
// within a chunk, when the task before it ends); there is no decode (gil: the
// wait for the lock), and the record is in place when the compute ends, so
// result_enqueued = result_dequeued = compute_end (gil: after the lock is
// dropped). So a task's wake-up phase is its claim, and its queue phase the
// wait for its thread to be free (shared/phases.h).
//
// Waiting happens only between trials: the threads for the next trial, the
// coordinator for the last thread to leave, each on an EventCount as --wait
// says (adaptive: shared/shm/adaptive_wait.h).
//
// The coordinator's thread calls Start/RunTrial/Stop/Notes. Protocol: the
// coordinator writes plan_ and resets claims_ and left_ only while every
// thread waits on opened_ (all have left the trial), then Notify()s opened_
// (release); each thread acquires it, claims and runs, writes only its lane,
// and counts itself out with left_.fetch_add (acq_rel); the last one out
// Notify()s closed_, and the coordinator, having acquired left_ == workers,
// reads every lane.

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "coordinator/runtime/event_count.h"
#include "coordinator/runtime/global_lock.h"
#include "coordinator/runtime/local_task.h"
#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/task_claims.h"
#include "shared/shm/adaptive_wait.h"

namespace parlab {

class ThreadPoolMode final : public Mode {
 public:
  // use_global_lock: the gil mode.
  ThreadPoolMode(pb::JobSpec job, bool use_global_lock);
  ~ThreadPoolMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

 private:
  // One trial, as the threads see it; written by the coordinator between trials.
  struct Plan {
    int32_t trial = 0;
    uint64_t first_id = 0;
    uint64_t chunk = 1;
    int64_t opened_ns = 0;
    bool stop = false;
  };
  // What one thread owns: the records of its tasks in this trial, and its
  // waits. Aligned so that two threads never write the same cache line.
  struct alignas(64) Lane {
    std::vector<TaskRecord> records;
    std::optional<WaitLearner> learner;
  };

  void ThreadMain(int index);
  void RunClaims(int index, Lane& lane);
  void RunOne(int index, TaskRecord& record);
  void LeaveTrial();
  void AwaitAllLeft();  // coordinator: until left_ == workers

  pb::JobSpec job_;
  const int workers_;
  const WaitSetting wait_setting_;
  std::optional<LocalTask> task_;
  std::unique_ptr<GlobalLock> lock_;  // gil mode only
  std::vector<Lane> lanes_;
  std::vector<std::thread> threads_;
  std::optional<WaitLearner> learner_;  // the coordinator's waits for a trial's end

  Plan plan_;
  TaskClaims claims_;
  EventCount opened_;  // a trial (or the stop) is open
  EventCount closed_;  // the last thread left it
  alignas(64) std::atomic<int> left_{0};
};

}  // namespace parlab
