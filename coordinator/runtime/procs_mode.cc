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
// A round that sends or takes a frame stamps it, and that stamp tells the
// time for kSuperviseNs. Rounds that take no stamp (spinning for an answer)
// read the clock once in this many: a round is a poll of every response ring
// (~13 ns on the 2-vCPU VM of issue 13, ~1 us when it yields), so the
// supervision is late by a fraction of kSuperviseNs at most, while a spin
// round trip (~60 rounds there) reads no clock of its own.
constexpr uint64_t kIdleRoundsPerClockRead = 256;
// Workers that die this many times in a row with no answer in between (per
// worker and attempt) mean something beyond one poisoned task is wrong.
constexpr int kDeathsInARowPerWorkerAttempt = 2;
constexpr int kMinDeathsInARow = 8;
// The most fresh tasks a dispatch shard claims at once: enough that the
// shared cursor is touched once per many tasks, few enough that one shard
// does not hoard work a trial's end needs spread.
constexpr uint64_t kMaxClaim = 64;

}  // namespace

void ProcsMode::FramesInFlight::Push(uint64_t first_id, int tasks, int64_t now_ns) {
  assert(count_ < capacity_);  // credits bound the frames in flight
  entries_[(head_ + count_) % capacity_] = {{first_id, now_ns}, tasks};
  ++count_;
}

void ProcsMode::FramesInFlight::Pop(int64_t now_ns) {
  if (count_ == 0) return;
  head_ = (head_ + 1) % capacity_;
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
  channels_.clear();
  for (int w = 0; w < job_.workers(); ++w) channels_.emplace_back(inflight);
  PARLAB_RETURN_IF_ERROR(PlanShards());

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
  constants.set_wait(job_.wait());
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

bool ProcsMode::HasWork(const TaskLedger& ledger, const Dispatch& dispatch) const {
  return dispatch.block_next < dispatch.block_end || ledger.HasWork();
}

std::optional<uint64_t> ProcsMode::NextSlot(TaskLedger& ledger, Dispatch& dispatch) {
  if (std::optional<uint64_t> requeued = ledger.TakeRequeued()) return requeued;
  if (dispatch.block_next == dispatch.block_end) {
    // One dispatcher takes one task at a time, as ever. Several claim fresh
    // ones in blocks, so the shared cursor is not touched per task, and
    // smaller ones as the trial runs out (guided self-scheduling: a share of
    // what is left), so no dispatcher sits on the last tasks while another's
    // workers idle.
    const uint64_t most = dispatch_.size() == 1 ? 1 : kMaxClaim;
    const uint64_t share = 2 * static_cast<uint64_t>(job_.workers());
    // The ledger had work when HasWork looked, but another shard may have
    // claimed the last of it since. Then there is none: handing out the slot
    // past this block's end sent a task another shard had sent too, and
    // wiped the stamps of its answer (procs_mode_test's shard cases, about
    // 1 run in 300).
    const uint64_t claimed = ledger.ClaimFresh(most, share, &dispatch.block_next);
    if (claimed == 0) return std::nullopt;
    dispatch.block_end = dispatch.block_next + claimed;
  }
  return dispatch.block_next++;
}

Result<bool> ProcsMode::SendTasks(int worker, TaskLedger& ledger, Dispatch& dispatch) {
  Channel& channel = channels_[static_cast<size_t>(worker)];
  pb::TaskFrame& frame = *dispatch.request.mutable_task_frame();
  frame.mutable_ids()->Clear();     // keeps its room
  frame.mutable_inputs()->Clear();  // keeps its messages
  frame.set_constants(constants_.constants().version());
  frame.set_fault(pb::FAULT_NONE);
  frame.set_fault_index(0);
  std::vector<uint64_t>& frame_slots = dispatch.frame_slots;
  frame_slots.clear();
  const int64_t submit_ns = NowNsUnordered();  // the frame is published below
  for (int k = 0; k < tasks_per_frame_ && HasWork(ledger, dispatch); ++k) {
    const std::optional<uint64_t> next = NextSlot(ledger, dispatch);
    if (!next) break;
    const uint64_t slot = *next;
    ledger.Assign(slot, worker, submit_ns, /*frame=*/channel.frames_sent);
    frame_slots.push_back(slot);
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
  if (frame_slots.empty()) return false;  // other shards took what was left
  PARLAB_RETURN_IF_ERROR(transport_->Encode(worker, dispatch.request));
  // Stamped before the frame is published: the worker may take it at once,
  // and its dequeue stamp must not come before this one. Unordered is enough
  // (shared/clock.h): the read retires before the publishing store is seen.
  const int64_t enqueued_ns = NowNsUnordered();
  dispatch.last_stamp_ns = enqueued_ns;
  for (uint64_t slot : frame_slots) ledger.record(slot).t.enqueued_ns = enqueued_ns;
  PARLAB_RETURN_IF_ERROR(transport_->Publish(worker));
  --channel.credits;
  channel.frames.Push(ledger.id(frame_slots.front()), static_cast<int>(frame_slots.size()),
                      enqueued_ns);
  ++channel.frames_sent;
  ++dispatch.frames_in_flight;
  return true;
}

Result<bool> ProcsMode::SendRounds(TaskLedger& ledger, Dispatch& dispatch) {
  bool sent = false;
  for (bool more = true; more && HasWork(ledger, dispatch);) {
    more = false;
    for (int w : dispatch.workers) {
      if (!HasWork(ledger, dispatch)) break;
      if (channels_[static_cast<size_t>(w)].credits == 0) continue;
      PARLAB_ASSIGN_OR_RETURN(const bool sent_frame, SendTasks(w, ledger, dispatch));
      if (!sent_frame) break;
      sent = more = true;
    }
  }
  // A publish may have woken a sleeping worker (a system call, µs) after the
  // enqueued stamp: the wait that may follow begins after it. --wait spin
  // wakes nobody.
  if (sent && job_.wait() != pb::SPIN) dispatch.last_stamp_ns = NowNsUnordered();
  return sent;
}

Status ProcsMode::OnAnswers(int worker, const pb::ResultFrame& answers, int64_t dequeued_ns) {
  Channel& channel = channels_[static_cast<size_t>(worker)];
  if (ledger_ == nullptr) {
    return Internal("worker " + std::to_string(worker) + " answered while no task was in flight");
  }
  if (Status checked = CheckResultFrame(answers); !checked.ok()) {
    return InvalidArgument("worker " + std::to_string(worker) + " sent " + checked.message());
  }
  // One answer frame per task frame, in order: it answers the oldest one.
  if (answers.ids_size() != channel.frames.OldestTasks()) {
    return InvalidArgument("worker " + std::to_string(worker) + " answered " +
                           std::to_string(answers.ids_size()) + " task(s) of a frame of " +
                           std::to_string(channel.frames.OldestTasks()));
  }
  ResultFrameReader reader(answers);
  TaskAnswer answer;
  while (reader.Next(answer)) PARLAB_RETURN_IF_ERROR(ledger_->Answer(worker, answer, dequeued_ns));
  Dispatch& dispatch = DispatchOf(worker);
  dispatch.last_stamp_ns = dequeued_ns;
  if (dispatch_.size() == 1) {
    answers_since_death_ += static_cast<uint64_t>(answers.ids_size());
    TasksDone(answers.ids_size());
  } else {  // the coordinator's thread counts them in, and tells the listener
    dispatch.answers += static_cast<uint64_t>(answers.ids_size());
    dispatch.tasks_done.store(
        dispatch.tasks_done.load(std::memory_order_relaxed) + answers.ids_size(),
        std::memory_order_relaxed);
  }
  ++channel.credits;
  channel.frames.Pop(dequeued_ns);
  --dispatch.frames_in_flight;
  return Status::Ok();
}

void ProcsMode::OnCorrupt(int worker, const Status& why) {
  std::lock_guard<std::mutex> lock(corrupt_mutex_);  // a shard's thread, or the coordinator's
  corrupt_.emplace_back(worker, why.message());
  DispatchOf(worker).corrupt = true;
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
  return channels_[static_cast<size_t>(worker)].frames.Oldest();
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
    // Where the transport cannot say what a worker runs (uds), its oldest
    // frame stands for it; but a worker reads no task before its hello, so a
    // replacement that died starting up (killed, or its exec failed) is
    // charged for nothing it was sent.
    if (std::optional<RunningTask> running = RunningTaskOf(w);
        running && (transport_->KnowsRunningTask() || pool_->SaidHello(w))) {
      blame.running_id = running->id;
    }
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

  Channel& channel = channels_[static_cast<size_t>(w)];
  Dispatch& dispatch = DispatchOf(w);
  dispatch.frames_in_flight -= static_cast<int>(channel.frames.count());
  channel.credits = job_.inflight();
  channel.frames.Clear();
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
  for (Channel& channel : channels_) {
    channel.credits = job_.inflight();
    channel.frames.Clear();
  }
  if (dispatch_.size() > 1) ledger.SetShards(shard_of_, static_cast<int>(dispatch_.size()));
  PARLAB_RETURN_IF_ERROR(Supervise(ledger));  // deaths between trials

  const int64_t start_ns = NowNs();
  for (const std::unique_ptr<Dispatch>& dispatch : dispatch_) {
    dispatch->frames_in_flight = 0;
    dispatch->block_next = dispatch->block_end = 0;
    dispatch->last_stamp_ns = start_ns;
  }
  int64_t idle_since_ns = 0;
  if (dispatch_.size() > 1) PARLAB_RETURN_IF_ERROR(RunShards(ledger));  // ends with it complete
  Dispatch& dispatch = *dispatch_.front();
  while (!ledger.Complete()) {
    if (feed_ != nullptr) {
      if (feed_->StopNow()) break;  // --halt now: Stop() ends the workers and their commands
      ledger.PullFeed();
      if (feed_->Halting()) ledger.StopFresh();  // --halt soon: the running ones finish
    }
    PARLAB_ASSIGN_OR_RETURN(const bool sent, SendRounds(ledger, dispatch));
    PARLAB_ASSIGN_OR_RETURN(int frames, transport_->Collect());
    PARLAB_RETURN_IF_ERROR(ReplaceCorrupt(ledger));
    const bool idle = frames == 0 && !sent;
    // The clock only every kIdleRoundsPerClockRead idle rounds: a spinning
    // coordinator's poll loop is what delays noticing an answer.
    if (idle && ++dispatch.idle_rounds % kIdleRoundsPerClockRead == 0) {
      dispatch.last_stamp_ns = NowNsUnordered();
    }
    if (dispatch.last_stamp_ns - last_supervised_ns_ > kSuperviseNs) {
      PARLAB_RETURN_IF_ERROR(Supervise(ledger));
    }
    if (!idle) {
      idle_since_ns = 0;
      continue;
    }
    // The wait began after the last busy round's stamp, a few ns ago.
    if (idle_since_ns == 0) idle_since_ns = dispatch.last_stamp_ns;
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
  if (dispatch_.size() > 1 || job_.dispatchers() == kAutoDispatchers) {
    const size_t shards = dispatch_.size();
    notes.push_back("dispatch: " +
                    (shards == 1 ? std::string("1 thread, the coordinator's")
                                 : std::to_string(shards) + " dispatcher threads, " +
                                       std::to_string(dispatch_.back()->workers.size()) + "-" +
                                       std::to_string(dispatch_.front()->workers.size()) +
                                       " worker(s) each") +
                    (job_.dispatchers() == kAutoDispatchers ? " (--dispatchers auto)" : ""));
  }
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
