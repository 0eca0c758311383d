#include "coordinator/observe/chaos.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>
#include <utility>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_runner.h"
#include "shared/clock.h"
#include "shared/platform/process_list.h"
#include "shared/shm/segment.h"

namespace parlab {
namespace {

constexpr int64_t kMaxChaosRecords = 2'000'000;

// Kills a random parlab-worker child of this process every period until stopped.
class Killer {
 public:
  Killer(int64_t period_ns, uint64_t seed) : period_ns_(period_ns), random_(seed) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Killer() { Stop(); }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  int64_t killed() const { return killed_.load(); }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (
        !wake_.wait_for(lock, std::chrono::nanoseconds(period_ns_), [this] { return stopping_; })) {
      // Our children only, and only workers: the list is a hint (a worker
      // may end between the scan and the kill), which is all chaos needs.
      const std::vector<pid_t> workers = ChildrenNamed(getpid(), "parlab-worker");
      if (workers.empty()) continue;
      const pid_t victim = workers[random_() % workers.size()];
      if (kill(victim, SIGKILL) == 0) killed_.fetch_add(1);
    }
  }

  const int64_t period_ns_;
  std::mt19937_64 random_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<int64_t> killed_{0};
  std::thread thread_;
};

}  // namespace

Result<ChaosReport> RunChaos(const ChaosOptions& options) {
  pb::JobSpec job = options.job;
  if (job.mode() != pb::PROCS && job.mode() != pb::HYBRID) {
    return InvalidArgument("chaos needs worker processes: --mode procs or hybrid");
  }
  if (options.duration_ns > 0) {
    // Stopped by the clock instead; the job keeps every record, so the trial
    // count bounds its memory (2M records, ~250 MB; a minute runs ~1M tasks).
    job.set_trials(static_cast<int32_t>(
        std::clamp<int64_t>(kMaxChaosRecords / std::max<int64_t>(1, job.tasks()), 1, 100000)));
  }
  ChaosReport report;
  Progress* progress = options.progress;
  if (progress != nullptr) {
    progress->StartCount(options.duration_ns > 0 ? 0 : int64_t{job.trials()} * job.tasks());
    progress->SetDuration(options.duration_ns);
  }
  const int64_t start_ns = NowNs();
  Result<JobOutcome> outcome = [&]() -> Result<JobOutcome> {
    PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<JobSession> session, JobSession::Start(job, nullptr));
    Killer killer(options.kill_every_ns, options.seed);
    for (;;) {
      if (options.duration_ns > 0 && NowNs() - start_ns >= options.duration_ns) break;
      if (progress != nullptr) {
        progress->SetStage(fmt::format("chaos: trial {}, {} worker(s) killed", report.trials + 1,
                                       killer.killed()));
      }
      PARLAB_ASSIGN_OR_RETURN(bool ran, (session)->RunNextTrial(progress));
      if (!ran) break;
      ++report.trials;
    }
    killer.Stop();
    report.workers_killed = killer.killed();
    return (session)->Finish();
  }();
  report.seconds = static_cast<double>(NowNs() - start_ns) * 1e-9;
  PARLAB_ASSIGN_OR_RETURN(std::vector<SegmentFile> left, ListSegmentsOf(getpid()));
  report.segments_left = static_cast<int>(left.size());
  report.workers_left = static_cast<int>(ChildrenNamed(getpid(), "parlab-worker").size());
  if (!outcome.ok()) return outcome.status();

  std::unordered_set<uint64_t> ids;
  ids.reserve(outcome->records.size());
  for (const TaskRecord& record : outcome->records) {
    if (!ids.insert(record.id).second) {
      ++report.tasks_duplicated;
      continue;
    }
    if (record.attempt > 1) ++report.tasks_retried;
    if (record.outcome == TaskOutcome::kOk) {
      ++report.tasks_done;
    } else {
      ++report.tasks_lost;
    }
  }
  // Ids run from the first measured task, trials × tasks of them, no gaps.
  // Measured trials only: report.trials counts warmups too, which keep no records.
  const auto measured = static_cast<int64_t>(outcome->trial_wall_ns.size());
  report.tasks_lost += measured * job.tasks() - static_cast<int64_t>(ids.size());
  report.outcome = std::move(outcome).value();
  // The trials run, not the bound a duration set (see above).
  report.outcome.job.set_trials(static_cast<int32_t>(measured));
  return report;
}

}  // namespace parlab
