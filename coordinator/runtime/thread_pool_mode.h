#pragma once
// threads and gil: W threads of this process, each fed by the coordinator's
// thread through its own queue with at most K tasks in flight (credits, the
// same scheduling as the procs mode, so the modes compare on equal terms).
// In gil mode the threads share one GlobalLock, as CPython's threads do.
//
// The coordinator's thread calls Start/RunTrial/Stop; the pool's threads only
// touch their own Slot and the completion list, both under mutexes.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "coordinator/runtime/global_lock.h"
#include "coordinator/runtime/local_task.h"
#include "coordinator/runtime/mode.h"

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
  struct Slot {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<TaskRecord> queue;
    bool stop = false;
  };

  void ThreadMain(int index);
  void RunOne(int index, TaskRecord& record);
  void Assign(int index, TaskRecord record);

  pb::JobSpec job_;
  std::optional<LocalTask> task_;
  std::unique_ptr<GlobalLock> lock_;  // gil mode only
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::thread> threads_;

  std::mutex done_mutex_;
  std::condition_variable done_ready_;
  std::vector<TaskRecord> done_;  // finished, not yet collected by the coordinator
  int started_ = 0;               // threads that reached their loop (under done_mutex_)
};

}  // namespace parlab
