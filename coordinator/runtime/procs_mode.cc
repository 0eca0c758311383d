#include "coordinator/runtime/procs_mode.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "coordinator/runtime/segment_size.h"
#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/cpu.h"
#include "shared/shm/wait_policy.h"
#include "shared/wire.h"

namespace parlab {
namespace {

// How long --wait adaptive spins before it sleeps on the doorbell: a few
// round trips (a noop round trip is a few µs here), far below a scheduler tick.
constexpr int64_t kAdaptiveSpinNs = kDefaultAdaptiveSpinNs;
// The longest the coordinator sleeps before it looks at the control plane
// (SIGCHLD, SIGINT, worker errors) again.
constexpr int64_t kControlPollNs = 10'000'000;
constexpr int kStartTimeoutMs = 10'000;
constexpr int kStopGraceMs = 1'000;
// How often a busy coordinator (never idle, so never in WaitForAnswers) still
// looks at the control plane, so a death is seen while the others work on.
constexpr int64_t kSuperviseNs = 1'000'000;
// Workers that die this many times in a row with no answer in between (per
// worker and attempt) mean something beyond one poisoned task is wrong.
constexpr int kDeathsInARowPerWorkerAttempt = 2;
constexpr int kMinDeathsInARow = 8;

}  // namespace

ProcsMode::ProcsMode(pb::JobSpec job) : job_(std::move(job)), wait_(FromProto(job_.wait())) {}

ProcsMode::~ProcsMode() { Stop(); }

int ProcsMode::AutoChunk(int64_t tasks, int workers) {
  pb::JobSpec job;
  job.set_tasks(tasks);
  job.set_workers(workers);
  return ChunkFor(job);
}

Status ProcsMode::Start() {
  const Kernel* kernel = FindKernel(job_.kernel().kernel());
  if (kernel == nullptr) return InvalidArgument("unknown workload " + job_.kernel().kernel());
  const auto workers = static_cast<uint32_t>(job_.workers());
  chunk_ = ChunkFor(job_);
  input_bytes_ = kernel->InputBytes(job_.kernel());
  output_bytes_ = kernel->OutputBytes(job_.kernel());
  // The same plan validation checked against /dev/shm's free space.
  Result<LayoutSpec> spec = SegmentLayoutFor(job_);
  if (!spec.ok()) return spec.status();
  Result<Layout> layout = PlanLayout(*spec);
  if (!layout.ok()) return layout.status();
  Result<Segment> segment = Segment::Create(Segment::MakeName(), layout->header.total_bytes);
  if (!segment.ok()) return segment.status();
  segment_.emplace(std::move(segment).value());
  Result<SegmentView> view = SegmentView::Format(segment_->data(), segment_->size(), *layout);
  if (!view.ok()) return view.status();
  view_.emplace(std::move(view).value());

  // The segment's header places the doorbell and the boards (layout.h).
  doorbell_ = view_->doorbell();
  for (uint32_t w = 0; w < workers; ++w) {
    Result<WorkerBoard*> board = view_->board(w);
    if (!board.ok()) return board.status();
    boards_.push_back(*board);
  }

  Arena arena(view_->arena().size_bytes());
  auto allocate = [&arena](uint64_t bytes) { return arena.Allocate(std::max<uint64_t>(bytes, 1)); };
  Result<uint64_t> input = allocate(input_bytes_);
  if (!input.ok()) return input.status();
  input_offset_ = *input;
  for (uint32_t w = 0; w < workers; ++w) {
    Result<uint64_t> output = allocate(output_bytes_);
    if (!output.ok()) return output.status();
    output_offsets_.push_back(*output);
  }
  // The input is made once, in place: workers read it where it is.
  kernel->FillInput(job_.kernel(), {view_->arena().base() + input_offset_, input_bytes_});

  for (uint32_t w = 0; w < workers; ++w) {
    Result<Ring> request = view_->AttachRequestRing(w);
    if (!request.ok()) return request.status();
    Result<Ring> response = view_->AttachResponseRing(w);
    if (!response.ok()) return response.status();
    requests_.push_back(std::move(request).value());
    responses_.push_back(std::move(response).value());
  }

  std::vector<std::vector<std::string>> args;
  for (uint32_t w = 0; w < workers; ++w) {
    args.push_back({"--segment", segment_->name(), "--index", std::to_string(w), "--wait",
                    WaitPolicyName(wait_)});
  }
  WorkerPool::Options options;
  options.replace_dead_workers = true;
  options.heartbeat_timeout_ns = job_.heartbeat_timeout_ms() * 1'000'000;
  pool_ = std::make_unique<WorkerPool>(options);
  return pool_->Start(WorkerBinaryPath(), args, kStartTimeoutMs);
}

void ProcsMode::Stop() {
  if (view_) view_->CloseAllRings();  // wakes every worker: they leave at once
  if (pool_) pool_->Stop(kStopGraceMs);
  pool_.reset();
  requests_.clear();
  responses_.clear();
  boards_.clear();
  view_.reset();
  segment_.reset();  // unmaps and unlinks
}

Status ProcsMode::SendBatch(int worker, TaskLedger& ledger) {
  pb::TaskBatch& batch = *request_.mutable_tasks();
  batch.mutable_tasks()->Clear();  // keeps the allocated TaskSpecs for reuse
  batch_slots_.clear();
  const int64_t submit_ns = NowNs();
  for (int k = 0; k < chunk_ && ledger.HasWork(); ++k) {
    const uint64_t slot = ledger.Take(worker, submit_ns, /*frame=*/frames_sent_);
    batch_slots_.push_back(slot);
    pb::TaskSpec& task = *batch.add_tasks();
    task.set_id(ledger.id(slot));
    *task.mutable_kernel() = job_.kernel();
    pb::Payload& payload = *task.mutable_payload();
    payload.set_input_offset(input_offset_);
    payload.set_input_bytes(input_bytes_);
    payload.set_output_offset(output_offsets_[static_cast<size_t>(worker)]);
    payload.set_output_bytes(output_bytes_);
    task.set_threads(job_.threads());
    task.set_attempt(ledger.record(slot).attempt);
    const bool poisoned = job_.has_fault() && static_cast<uint64_t>(job_.fault().task()) == slot;
    task.set_fault(poisoned ? job_.fault().action() : pb::FAULT_NONE);
  }
  encoded_.clear();
  if (!request_.AppendToString(&encoded_)) return Internal("cannot encode a task batch");
  // Stamped before the push: once the frame is published the worker may take
  // it at once, and its dequeue stamp must not come before this one.
  const int64_t enqueued_ns = NowNs();
  for (uint64_t slot : batch_slots_) ledger.record(slot).t.enqueued_ns = enqueued_ns;
  Ring& ring = requests_[static_cast<size_t>(worker)];
  PARLAB_RETURN_IF_ERROR(ring.PushWait(encoded_.data(), encoded_.size(), wait_, kControlPollNs));
  --credits_[static_cast<size_t>(worker)];
  ++frames_sent_;
  return Status::Ok();
}

Result<int> ProcsMode::Drain(int worker, TaskLedger& ledger) {
  const std::string who = "worker " + std::to_string(worker);
  Ring& ring = responses_[static_cast<size_t>(worker)];
  int frames = 0;
  for (;;) {
    Result<std::optional<FrameView>> peeked = ring.TryPeek();
    if (!peeked.ok()) return Internal(who + "'s response ring: " + peeked.status().message());
    if (!peeked->has_value()) return frames;
    const int64_t dequeued_ns = NowNs();
    const FrameView view = **peeked;
    Status parsed = ParseFrame(view.data, view.size, who, response_);
    ring.Consume();
    PARLAB_RETURN_IF_ERROR(parsed);
    if (!response_.has_results()) return Internal(who + " sent a frame that is not a result batch");
    for (const pb::TaskResult& result : response_.results().results()) {
      PARLAB_RETURN_IF_ERROR(ledger.Answer(worker, result, dequeued_ns));
    }
    answers_since_death_ += static_cast<uint64_t>(response_.results().results_size());
    ++credits_[static_cast<size_t>(worker)];
    ++frames;
  }
}

Result<int> ProcsMode::Collect(TaskLedger& ledger) {
  int frames = 0;
  for (int w = 0; w < static_cast<int>(responses_.size()); ++w) {
    Result<int> drained = Drain(w, ledger);
    if (drained.ok()) {
      frames += *drained;
      continue;
    }
    // Ends that worker, not the job: it is killed and replaced.
    PARLAB_RETURN_IF_ERROR(
        Replace(pool_->Kill(w, drained.status().message()), TaskOutcome::kCorruptAnswer, ledger));
    ++frames;  // something happened: the caller should look again before sleeping
  }
  return frames;
}

Status ProcsMode::Replace(const WorkerExit& exit, TaskOutcome why, TaskLedger& ledger) {
  const int w = exit.index;
  TaskLedger::Blame blame;
  if (why == TaskOutcome::kCorruptAnswer) {
    // Nothing more of it is trusted, and the corrupt answer was for its
    // oldest frame: those tasks are charged, as a running task would be.
    blame.oldest_frame = true;
  } else {
    // Answers it published before it died still count.
    (void)Drain(w, ledger);
    const uint64_t running =
        boards_[static_cast<size_t>(w)]->running_task.load(std::memory_order_acquire);
    if (running > 0) blame.running_id = running - 1;
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

  PARLAB_RETURN_IF_ERROR(view_->ResetWorker(static_cast<uint32_t>(w)));
  Result<Ring> request = view_->AttachRequestRing(static_cast<uint32_t>(w));
  if (!request.ok()) return request.status();
  Result<Ring> response = view_->AttachResponseRing(static_cast<uint32_t>(w));
  if (!response.ok()) return response.status();
  requests_[static_cast<size_t>(w)] = std::move(request).value();
  responses_[static_cast<size_t>(w)] = std::move(response).value();
  credits_[static_cast<size_t>(w)] = job_.inflight();
  PARLAB_RETURN_IF_ERROR(pool_->Restart(w));
  ++workers_replaced_;
  return Status::Ok();
}

Status ProcsMode::Supervise(TaskLedger& ledger) {
  last_supervised_ns_ = NowNs();
  PARLAB_RETURN_IF_ERROR(pool_->Poll());
  for (const WorkerExit& exit : pool_->TakeExits()) {
    PARLAB_RETURN_IF_ERROR(Replace(exit, TaskOutcome::kWorkerDied, ledger));
  }
  if (job_.task_timeout_ms() <= 0) return Status::Ok();
  const int64_t now_ns = NowNs();
  const int64_t timeout_ns = job_.task_timeout_ms() * 1'000'000;
  for (int w = 0; w < static_cast<int>(boards_.size()); ++w) {
    const WorkerBoard& board = *boards_[static_cast<size_t>(w)];
    const uint64_t running = board.running_task.load(std::memory_order_acquire);
    if (running == 0 || now_ns - board.started_ns.load(std::memory_order_relaxed) <= timeout_ns) {
      continue;
    }
    const std::string reason = "task " + std::to_string(running - 1) + " ran past --task-timeout " +
                               std::to_string(job_.task_timeout_ms()) + " ms";
    PARLAB_RETURN_IF_ERROR(Replace(pool_->Kill(w, reason), TaskOutcome::kTimedOut, ledger));
  }
  return Status::Ok();
}

Status ProcsMode::WaitForAnswers(TaskLedger& ledger, int64_t& idle_since_ns) {
  const int64_t now_ns = NowNs();
  if (idle_since_ns == 0) idle_since_ns = now_ns;
  const bool keep_spinning =
      wait_ == WaitPolicy::kSpin ||
      (wait_ == WaitPolicy::kAdaptive && now_ns - idle_since_ns < kAdaptiveSpinNs);
  if (keep_spinning) {
    CpuRelax();
    return Status::Ok();  // the caller supervises every kSuperviseNs
  }
  const uint32_t seen = doorbell_->Prepare();
  Result<int> frames = Collect(ledger);
  if (!frames.ok() || *frames > 0) {
    doorbell_->Cancel();
    return frames.ok() ? Status::Ok() : frames.status();
  }
  ++doorbell_sleeps_;
  doorbell_->Wait(seen, kControlPollNs);
  return Supervise(ledger);
}

Result<TrialRun> ProcsMode::RunTrial(int32_t trial_index, uint64_t first_id) {
  TaskLedger ledger(trial_index, first_id, static_cast<uint64_t>(job_.tasks()), job_.workers(),
                    job_.max_attempts());
  credits_.assign(static_cast<size_t>(job_.workers()), job_.inflight());
  PARLAB_RETURN_IF_ERROR(Supervise(ledger));  // deaths between trials

  const int64_t start_ns = NowNs();
  int64_t idle_since_ns = 0;
  while (!ledger.Complete()) {
    bool sent = false;
    for (int w = 0; w < job_.workers() && ledger.HasWork(); ++w) {
      while (credits_[static_cast<size_t>(w)] > 0 && ledger.HasWork()) {
        PARLAB_RETURN_IF_ERROR(SendBatch(w, ledger));
        sent = true;
      }
    }
    Result<int> frames = Collect(ledger);
    if (!frames.ok()) return frames.status();
    if (NowNs() - last_supervised_ns_ > kSuperviseNs) PARLAB_RETURN_IF_ERROR(Supervise(ledger));
    if (*frames > 0 || sent) {
      idle_since_ns = 0;
      continue;
    }
    PARLAB_RETURN_IF_ERROR(WaitForAnswers(ledger, idle_since_ns));
  }
  if (first_task_error_.empty()) first_task_error_ = ledger.first_error();
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  run.records = ledger.TakeRecords();
  return run;
}

std::vector<std::string> ProcsMode::Notes() const {
  std::vector<std::string> notes = {
      "transport shm, wait " + std::string(WaitPolicyName(wait_)) + ", " + std::to_string(chunk_) +
      " task(s) per frame, " + std::to_string(job_.inflight()) +
      " frame(s) in flight per worker; " + std::to_string(frames_sent_) + " frames sent, " +
      std::to_string(doorbell_sleeps_) + " doorbell sleeps"};
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
