#include "coordinator/command/command_threads_mode.h"

#include <chrono>
#include <utility>

#include "coordinator/runtime/task_ledger.h"
#include "shared/clock.h"
#include "shared/platform/command_task.h"
#include "shared/platform/fd_pair.h"

namespace parlab {
namespace {

// How long the coordinator's thread waits for an answer before it looks at
// the feed again (a stream that brought nothing, a halt).
constexpr auto kFeedPoll = std::chrono::milliseconds(10);

}  // namespace

CommandThreadsMode::CommandThreadsMode(pb::JobSpec job, TaskFeed* feed)
    : job_(std::move(job)), feed_(feed) {}

CommandThreadsMode::~CommandThreadsMode() { Stop(); }

Status CommandThreadsMode::Start() {
  PARLAB_ASSIGN_OR_RETURN(auto pipe, MakePipe());
  cancel_read_ = std::move(pipe.first);
  cancel_write_ = std::move(pipe.second);
  for (int i = 0; i < job_.workers(); ++i) queues_.push_back(std::make_unique<Queue>());
  for (int i = 0; i < job_.workers(); ++i) threads_.emplace_back([this, i] { ThreadMain(i); });
  signals_.async_wait([this](const boost::system::error_code& error, int number) {
    if (!error) interrupted_by_ = number;
  });
  return Status::Ok();
}

void CommandThreadsMode::Stop() {
  cancel_write_.Reset();  // the read end turns readable: running commands are killed
  for (auto& queue : queues_) {
    std::lock_guard<std::mutex> guard(queue->mutex);
    queue->stop = true;
    queue->ready.notify_one();
  }
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  queues_.clear();
}

void CommandThreadsMode::ThreadMain(int index) {
  Queue& queue = *queues_[static_cast<size_t>(index)];
  for (;;) {
    pb::TaskSpec task;
    {
      std::unique_lock<std::mutex> guard(queue.mutex);
      queue.ready.wait(guard, [&] { return queue.stop || !queue.tasks.empty(); });
      if (queue.stop) return;
      task = std::move(queue.tasks.front());
      queue.tasks.pop_front();
    }
    Done done;
    done.worker = index;
    pb::TaskResult& result = done.result;
    result.set_id(task.id());
    result.set_worker(index);
    result.set_t_dequeued_ns(NowNs());
    result.set_t_decoded_ns(result.t_dequeued_ns());  // nothing to decode in-process
    RunCommandTask(task.command(), cancel_read_.get(), result);
    {
      std::lock_guard<std::mutex> guard(done_mutex_);
      result.set_t_result_enqueued_ns(NowNs());
      done_.push_back(std::move(done));
    }
    done_ready_.notify_one();
  }
}

Result<TrialRun> CommandThreadsMode::RunTrial(int32_t trial, uint64_t first_id) {
  TaskLedger ledger(trial, first_id, 0, job_.workers(), job_.max_attempts());
  ledger.set_feed(feed_);
  std::vector<int> credits(static_cast<size_t>(job_.workers()), std::max(1, job_.inflight()));
  std::vector<Done> collected;
  uint64_t sent = 0;
  const int64_t start_ns = NowNs();
  while (!ledger.Complete()) {
    io_.poll();
    if (interrupted_by_ != 0) {
      return Cancelled(std::string("interrupted by ") +
                       (interrupted_by_ == SIGINT ? "SIGINT" : "SIGTERM"));
    }
    if (feed_->StopNow()) break;  // Stop() kills what runs
    ledger.PullFeed();
    if (feed_->Halting()) ledger.StopFresh();
    // One task per thread per round, so a short list spreads over all of them.
    for (bool more = true; more && ledger.HasWork();) {
      more = false;
      for (int w = 0; w < job_.workers() && ledger.HasWork(); ++w) {
        if (credits[static_cast<size_t>(w)] == 0) continue;
        const uint64_t slot = ledger.Take(w, NowNs(), sent++);
        pb::TaskSpec task;
        task.set_id(ledger.id(slot));
        task.set_attempt(ledger.record(slot).attempt);
        feed_->Describe(slot, *task.mutable_command());
        Queue& queue = *queues_[static_cast<size_t>(w)];
        {
          std::lock_guard<std::mutex> guard(queue.mutex);
          ledger.record(slot).t.enqueued_ns = NowNs();
          queue.tasks.push_back(std::move(task));
        }
        queue.ready.notify_one();
        --credits[static_cast<size_t>(w)];
        more = true;
      }
    }
    {
      std::unique_lock<std::mutex> guard(done_mutex_);
      done_ready_.wait_for(guard, kFeedPoll, [&] { return !done_.empty(); });
      collected.swap(done_);
    }
    const int64_t now_ns = NowNs();
    for (Done& done : collected) {
      PARLAB_RETURN_IF_ERROR(ledger.Answer(done.worker, AnswerOf(done.result), now_ns));
      ++credits[static_cast<size_t>(done.worker)];
    }
    collected.clear();
  }
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  run.records = ledger.TakeRecords();
  return run;
}

}  // namespace parlab
