#pragma once
// Command tasks on threads of this process (--mode threads, seq): W threads,
// each starting its tasks' programs itself (RunCommandTask: SpawnedGroup),
// fed by the coordinator's thread through its own queue with at most
// --inflight tasks (credits, as procs). It is the procs mode's counterpart
// for commands, so that the cost of starting a process from a thread and
// from a worker process is measured on the same tasks. Its books are the
// same TaskLedger over the same TaskFeed, so retries, halts and records
// are the procs mode's.
//
// Stop() closes a pipe every running command watches: their process groups
// are killed at once. SIGINT and SIGTERM end the trial (kCancelled) and so
// reach the commands too, which sit in process groups of their own where a
// terminal's Ctrl-C does not. The coordinator's thread calls Start/RunTrial/Stop;
// the pool's threads touch only their own queue and the done list, under
// mutexes (a command costs far more than a lock).

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/task_feed.h"
#include "shared/platform/unique_fd.h"

namespace parlab {

class CommandThreadsMode final : public Mode {
 public:
  // `feed` gives the tasks and must outlive the mode.
  CommandThreadsMode(pb::JobSpec job, TaskFeed* feed);
  ~CommandThreadsMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;

 private:
  struct Queue {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<pb::TaskSpec> tasks;
    bool stop = false;
  };
  struct Done {
    int worker = 0;
    pb::TaskResult result;
  };

  void ThreadMain(int index);

  pb::JobSpec job_;
  TaskFeed* feed_;
  UniqueFd cancel_read_;  // every command polls it: closing cancel_write_ kills them
  UniqueFd cancel_write_;
  std::vector<std::unique_ptr<Queue>> queues_;
  std::vector<std::thread> threads_;
  std::mutex done_mutex_;
  std::condition_variable done_ready_;
  std::vector<Done> done_;      // under done_mutex_
  boost::asio::io_context io_;  // the coordinator's thread polls it for the signals
  boost::asio::signal_set signals_{io_, SIGINT, SIGTERM};
  int interrupted_by_ = 0;
};

}  // namespace parlab
