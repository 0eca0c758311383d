#include "coordinator/runtime/procs_mode.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/mpi_launch.h"
#include "coordinator/runtime/segment_size.h"
#include "shared/clock.h"
#include "shared/kernels/plugin_kernel.h"

namespace parlab {
namespace {

constexpr int kStopGraceMs = 1'000;
// How often a busy coordinator (never idle, so never waiting) still looks at
// the control plane, so a death is seen while the others work on.
constexpr int64_t kSuperviseNs = 1'000'000;
// Workers that die this many times in a row with no answer in between (per
// worker and attempt) mean something beyond one poisoned task is wrong.
constexpr int kDeathsInARowPerWorkerAttempt = 2;
constexpr int kMinDeathsInARow = 8;

}  // namespace

void ProcsMode::FramesInFlight::Push(uint64_t first_id, int tasks, int64_t now_ns) {
  assert(count_ < entries_.size());  // credits bound the frames in flight
  entries_[(head_ + count_) % entries_.size()] = {{first_id, now_ns}, tasks};
  ++count_;
}

void ProcsMode::FramesInFlight::Pop(int64_t now_ns) {
  if (count_ == 0) return;
  head_ = (head_ + 1) % entries_.size();
  --count_;
  if (count_ > 0) {
    int64_t& started_ns = entries_[head_].first.started_ns;
    started_ns = std::max(started_ns, now_ns);
  }
}

std::optional<RunningTask> ProcsMode::FramesInFlight::Oldest() const {
  if (count_ == 0) return std::nullopt;
  return entries_[head_].first;
}

ProcsMode::ProcsMode(pb::JobSpec job) : ProcsMode(job, MakeTransport(job)) {}

ProcsMode::ProcsMode(pb::JobSpec job, std::unique_ptr<Transport> transport)
    : job_(std::move(job)), transport_(std::move(transport)) {}

ProcsMode::~ProcsMode() { Stop(); }

int ProcsMode::AutoChunk(int64_t tasks, int workers) {
  pb::JobSpec job;
  job.set_tasks(tasks);
  job.set_workers(workers);
  return ChunkFor(job);
}

Status ProcsMode::Start() {
  if (transport_ == nullptr) {
    return FailedPrecondition("transport '" + pb::Transport_Name(job_.transport()) +
                              "' is not available in this build" +
                              (job_.transport() == pb::MPI ? ": " + HowToEnableMpi() : ""));
  }
  Workload workload;
  workload.kernel = FindKernel(job_.kernel().kernel());
  if (workload.kernel == nullptr) {
    return InvalidArgument("unknown workload " + job_.kernel().kernel());
  }
  workload.input_bytes = workload.kernel->InputBytes(job_.kernel());
  workload.output_bytes = workload.kernel->OutputBytes(job_.kernel());
  tasks_per_frame_ = transport_->TasksPerFrame();
  const int inflight = std::max(1, job_.inflight());
  in_flight_.assign(static_cast<size_t>(job_.workers()), FramesInFlight(inflight));

  WorkerPool::Options options;
  options.replace_dead_workers = true;
  options.heartbeat_timeout_ns = job_.heartbeat_timeout_ms() * 1'000'000;
  // A plugin's kernel: each worker loads that plugin itself, and finds the
  // kernel by name there as here. From the kernel, not job.plugin: the jobs
  // that advise or the tour make from a kernel's params name no plugin.
  if (const std::string plugin = PluginPathOf(*workload.kernel); !plugin.empty()) {
    options.common_args = {"--plugin", plugin};
  }
  pool_ = std::make_unique<WorkerPool>(options);
  PARLAB_RETURN_IF_ERROR(transport_->Start(workload, *pool_, *this));
  // What every task shares travels once per channel; the task frames name
  // this version. A job that changed them between trials would send a new
  // version to every worker the same way (a job-change frame).
  pb::JobConstants& constants = *constants_.mutable_constants();
  constants.set_version(1);
  *constants.mutable_kernel() = job_.kernel();
  constants.set_threads(job_.threads());
  for (int w = 0; w < job_.workers(); ++w) PARLAB_RETURN_IF_ERROR(SendConstants(w));
  return Status::Ok();
}

void ProcsMode::Stop() {
  if (transport_ != nullptr) transport_->Stop();  // closes the channels: the workers leave
  if (pool_) pool_->Stop(kStopGraceMs);
  pool_.reset();
}

Status ProcsMode::SendConstants(int worker) {
  pb::JobConstants& constants = *constants_.mutable_constants();
  transport_->DescribePayload(worker, *constants.mutable_payload());
  PARLAB_RETURN_IF_ERROR(transport_->Encode(worker, constants_));
  return transport_->Publish(worker);
}

Status ProcsMode::SendTasks(int worker, TaskLedger& ledger) {
  pb::TaskFrame& frame = *request_.mutable_task_frame();
  frame.mutable_ids()->Clear();     // keeps its room
  frame.mutable_inputs()->Clear();  // keeps its messages
  frame.set_constants(constants_.constants().version());
  frame.set_fault(pb::FAULT_NONE);
  frame.set_fault_index(0);
  frame_slots_.clear();
  const int64_t submit_ns = NowNs();
  for (int k = 0; k < tasks_per_frame_ && ledger.HasWork(); ++k) {
    const uint64_t slot = ledger.Take(worker, submit_ns, /*frame=*/frames_sent_);
    frame_slots_.push_back(slot);
    frame.add_ids(ledger.id(slot));
    // A job file's task list: each task's own parameters travel with it; a
    // command job: each task's command line.
    if (job_.task_kernels_size() > 0 || feed_ != nullptr) {
      pb::TaskInput& input = *frame.add_inputs();
      if (job_.task_kernels_size() > 0) *input.mutable_kernel() = TaskKernel(job_, slot);
      if (feed_ != nullptr) feed_->Describe(slot, *input.mutable_command());
    }
    if (job_.has_fault() && static_cast<uint64_t>(job_.fault().task()) == slot) {
      frame.set_fault(job_.fault().action());
      frame.set_fault_index(static_cast<uint32_t>(k));
    }
  }
  PARLAB_RETURN_IF_ERROR(transport_->Encode(worker, request_));
  // Stamped before the frame is published: the worker may take it at once,
  // and its dequeue stamp must not come before this one.
  const int64_t enqueued_ns = NowNs();
  for (uint64_t slot : frame_slots_) ledger.record(slot).t.enqueued_ns = enqueued_ns;
  PARLAB_RETURN_IF_ERROR(transport_->Publish(worker));
  --credits_[static_cast<size_t>(worker)];
  in_flight_[static_cast<size_t>(worker)].Push(ledger.id(frame_slots_.front()),
                                               static_cast<int>(frame_slots_.size()), enqueued_ns);
  ++frames_sent_;
  return Status::Ok();
}

Status ProcsMode::OnAnswers(int worker, const pb::ResultFrame& answers, int64_t dequeued_ns) {
  const auto w = static_cast<size_t>(worker);
  if (ledger_ == nullptr) {
    return Internal("worker " + std::to_string(worker) + " answered while no task was in flight");
  }
  if (Status checked = CheckResultFrame(answers); !checked.ok()) {
    return InvalidArgument("worker " + std::to_string(worker) + " sent " + checked.message());
  }
  // One answer frame per task frame, in order: it answers the oldest one.
  if (answers.ids_size() != in_flight_[w].OldestTasks()) {
    return InvalidArgument("worker " + std::to_string(worker) + " answered " +
                           std::to_string(answers.ids_size()) + " task(s) of a frame of " +
                           std::to_string(in_flight_[w].OldestTasks()));
  }
  ResultFrameReader reader(answers);
  TaskAnswer answer;
  while (reader.Next(answer)) PARLAB_RETURN_IF_ERROR(ledger_->Answer(worker, answer, dequeued_ns));
  answers_since_death_ += static_cast<uint64_t>(answers.ids_size());
  TasksDone(answers.ids_size());
  ++credits_[w];
  in_flight_[w].Pop(dequeued_ns);
  return Status::Ok();
}

void ProcsMode::OnCorrupt(int worker, const Status& why) {
  corrupt_.emplace_back(worker, why.message());
}

Status ProcsMode::ReplaceCorrupt(TaskLedger& ledger) {
  while (!corrupt_.empty()) {
    auto [worker, why] = std::move(corrupt_.front());
    corrupt_.erase(corrupt_.begin());
    // Ends that worker, not the job: it is killed and replaced.
    PARLAB_RETURN_IF_ERROR(
        Replace(pool_->Kill(worker, std::move(why)), TaskOutcome::kCorruptAnswer, ledger));
  }
  return Status::Ok();
}

std::optional<RunningTask> ProcsMode::RunningTaskOf(int worker) const {
  if (transport_->KnowsRunningTask()) return transport_->RunningTaskOf(worker);
  // Frames are answered in order and a worker runs one task at a time: it is
  // on the first task of its oldest unanswered frame, since that became the
  // oldest.
  return in_flight_[static_cast<size_t>(worker)].Oldest();
}

Status ProcsMode::Replace(const WorkerExit& exit, TaskOutcome why, TaskLedger& ledger) {
  const int w = exit.index;
  TaskLedger::Blame blame;
  if (why == TaskOutcome::kCorruptAnswer) {
    // Nothing more of it is trusted, and the corrupt answer was for its
    // oldest frame: those tasks are charged, as a running task would be.
    blame.oldest_frame = true;
  } else {
    transport_->CollectLeftovers(w);  // answers it sent before it died still count
    if (std::optional<RunningTask> running = RunningTaskOf(w)) blame.running_id = running->id;
  }
  const std::optional<uint64_t>& running_id = blame.running_id;
  const int signal = exit.status.exited ? 0 : exit.status.term_signal;
  const TaskLedger::Loss loss = ledger.WorkerLost(w, blame, why, signal);
  tasks_requeued_ += loss.requeued;
  tasks_failed_ += loss.failed;
  last_death_ = exit.ToString();
  if (running_id && exit.reason.empty()) {
    last_death_ += " while running task " + std::to_string(*running_id);
  }

  deaths_in_a_row_ = answers_since_death_ > 0 ? 1 : deaths_in_a_row_ + 1;
  answers_since_death_ = 0;
  const int limit = std::max(kMinDeathsInARow, kDeathsInARowPerWorkerAttempt * job_.workers() *
                                                   std::max(1, job_.max_attempts()));
  if (deaths_in_a_row_ > limit) {
    return Unavailable(
        std::to_string(deaths_in_a_row_) +
        " workers died in a row with no task answered; giving up. Last: " + last_death_);
  }

  credits_[static_cast<size_t>(w)] = job_.inflight();
  in_flight_[static_cast<size_t>(w)].Clear();
  PARLAB_RETURN_IF_ERROR(transport_->Replace(w, *pool_));
  PARLAB_RETURN_IF_ERROR(SendConstants(w));  // the first thing on its new channel
  // Whatever the dead worker was reported for is settled by its replacement.
  corrupt_.erase(std::remove_if(corrupt_.begin(), corrupt_.end(),
                                [w](const auto& report) { return report.first == w; }),
                 corrupt_.end());
  ++workers_replaced_;
  return Status::Ok();
}

Status ProcsMode::Supervise(TaskLedger& ledger) {
  last_supervised_ns_ = NowNs();
  if (Status polled = pool_->Poll(); !polled.ok()) {
    return transport_->OnControlFailure(std::move(polled));
  }
  PARLAB_RETURN_IF_ERROR(ReplaceCorrupt(ledger));  // the pool's poll may deliver answers
  for (const WorkerExit& exit : pool_->TakeExits()) {
    PARLAB_RETURN_IF_ERROR(Replace(exit, TaskOutcome::kWorkerDied, ledger));
  }
  if (job_.task_timeout_ms() <= 0) return Status::Ok();
  const int64_t now_ns = NowNs();
  const int64_t timeout_ns = job_.task_timeout_ms() * 1'000'000;
  for (int w = 0; w < job_.workers(); ++w) {
    const std::optional<RunningTask> running = RunningTaskOf(w);
    if (!running || now_ns - running->started_ns <= timeout_ns) continue;
    const std::string reason = "task " + std::to_string(running->id) + " ran past --task-timeout " +
                               std::to_string(job_.task_timeout_ms()) + " ms";
    PARLAB_RETURN_IF_ERROR(Replace(pool_->Kill(w, reason), TaskOutcome::kTimedOut, ledger));
  }
  return Status::Ok();
}

Result<TrialRun> ProcsMode::RunTrial(int32_t trial_index, uint64_t first_id) {
  const uint64_t tasks = feed_ != nullptr ? 0 : static_cast<uint64_t>(job_.tasks());
  TaskLedger ledger(trial_index, first_id, tasks, job_.workers(), job_.max_attempts());
  ledger.set_feed(feed_);
  ledger_ = &ledger;
  struct Leave {
    TaskLedger*& current;
    ~Leave() { current = nullptr; }  // answers must not reach a finished trial
  } leave{ledger_};
  credits_.assign(static_cast<size_t>(job_.workers()), job_.inflight());
  for (FramesInFlight& frames : in_flight_) frames.Clear();
  PARLAB_RETURN_IF_ERROR(Supervise(ledger));  // deaths between trials

  const int64_t start_ns = NowNs();
  int64_t idle_since_ns = 0;
  while (!ledger.Complete()) {
    if (feed_ != nullptr) {
      if (feed_->StopNow()) break;  // --halt now: Stop() ends the workers and their commands
      ledger.PullFeed();
      if (feed_->Halting()) ledger.StopFresh();  // --halt soon: the running ones finish
    }
    bool sent = false;
    // One frame per worker per round: filling worker 0's credits first would
    // hand a short trial (2 tasks, 2 workers, 2 in flight) wholly to worker 0.
    for (bool more = true; more && ledger.HasWork();) {
      more = false;
      for (int w = 0; w < job_.workers() && ledger.HasWork(); ++w) {
        if (credits_[static_cast<size_t>(w)] == 0) continue;
        PARLAB_RETURN_IF_ERROR(SendTasks(w, ledger));
        sent = more = true;
      }
    }
    PARLAB_ASSIGN_OR_RETURN(int frames, transport_->Collect());
    PARLAB_RETURN_IF_ERROR(ReplaceCorrupt(ledger));
    if (NowNs() - last_supervised_ns_ > kSuperviseNs) PARLAB_RETURN_IF_ERROR(Supervise(ledger));
    if (frames > 0 || sent) {
      idle_since_ns = 0;
      continue;
    }
    if (idle_since_ns == 0) idle_since_ns = NowNs();
    PARLAB_ASSIGN_OR_RETURN(bool slept, transport_->Wait(idle_since_ns));
    PARLAB_RETURN_IF_ERROR(ReplaceCorrupt(ledger));
    if (slept) PARLAB_RETURN_IF_ERROR(Supervise(ledger));
  }
  if (first_task_error_.empty()) first_task_error_ = ledger.first_error();
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  run.records = ledger.TakeRecords();
  return run;
}

std::vector<pb::WorkerPlace> ProcsMode::Places() const {
  return transport_ != nullptr ? transport_->Places() : std::vector<pb::WorkerPlace>{};
}

std::vector<std::string> ProcsMode::Notes() const {
  std::vector<std::string> notes = transport_->Notes();
  if (workers_replaced_ > 0) {
    notes.push_back(std::to_string(workers_replaced_) + " worker(s) replaced, " +
                    std::to_string(tasks_requeued_) + " task(s) requeued, " +
                    std::to_string(tasks_failed_) + " failed after " +
                    std::to_string(job_.max_attempts()) + " attempt(s); last: " + last_death_);
  }
  if (!first_task_error_.empty()) notes.push_back(first_task_error_);
  return notes;
}

}  // namespace parlab
