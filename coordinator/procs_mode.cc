#include "coordinator/procs_mode.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/cpu.h"
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

uint64_t RoundUp(uint64_t value, uint64_t to) { return (value + to - 1) / to * to; }

uint64_t NextPowerOfTwo(uint64_t value) {
  uint64_t p = 1;
  while (p < value) p <<= 1;
  return p;
}

WaitPolicy ToWaitPolicy(pb::WaitPolicy wait) {
  switch (wait) {
    case pb::SPIN: return WaitPolicy::kSpin;
    case pb::BLOCK: return WaitPolicy::kBlock;
    default: return WaitPolicy::kAdaptive;
  }
}

}  // namespace

struct ProcsMode::Trial {
  int32_t index = 0;
  uint64_t first_id = 0;
  uint64_t tasks = 0;
  uint64_t next = 0;      // tasks handed out so far
  uint64_t done = 0;      // tasks answered
  std::vector<int> credits;
  std::vector<TaskRecord> records;  // by task id − first_id
  std::vector<bool> answered;
};

ProcsMode::ProcsMode(pb::JobSpec job) : job_(std::move(job)), wait_(ToWaitPolicy(job_.wait())) {}

ProcsMode::~ProcsMode() { Stop(); }

int ProcsMode::AutoChunk(int64_t tasks, int workers) {
  const int64_t per = 4 * std::max(1, workers);
  return static_cast<int>(std::max<int64_t>(1, (tasks + per - 1) / per));
}

Status ProcsMode::Start() {
  const Kernel* kernel = FindKernel(job_.kernel().kernel());
  if (kernel == nullptr) return InvalidArgument("unknown workload " + job_.kernel().kernel());
  const auto workers = static_cast<uint32_t>(job_.workers());
  chunk_ = job_.chunk() > 0 ? job_.chunk() : AutoChunk(job_.tasks(), job_.workers());

  // The arena: the doorbell, the one input every task reads, one output per worker.
  input_bytes_ = kernel->InputBytes(job_.kernel());
  output_bytes_ = kernel->OutputBytes(job_.kernel());
  const uint64_t arena_bytes = RoundUp(sizeof(Doorbell), kArenaAlignment) +
                               RoundUp(std::max<uint64_t>(input_bytes_, 1), kArenaAlignment) +
                               workers * RoundUp(std::max<uint64_t>(output_bytes_, 1), kArenaAlignment);
  // A ring holds every frame its worker may have in flight, with room to spare
  // (a task spec is ~60 bytes; a wrap can waste one frame).
  const uint64_t frame_bytes = 128 + 128 * static_cast<uint64_t>(chunk_);
  LayoutSpec spec;
  spec.worker_count = workers;
  spec.ring_capacity_bytes =
      std::max<uint64_t>(64 * 1024, NextPowerOfTwo(4 * frame_bytes * static_cast<uint64_t>(job_.inflight())));
  spec.arena_bytes = arena_bytes;
  Result<Layout> layout = PlanLayout(spec);
  if (!layout.ok()) return layout.status();
  Result<Segment> segment = Segment::Create(Segment::MakeName(), layout->header.total_bytes);
  if (!segment.ok()) return segment.status();
  segment_.emplace(std::move(segment).value());
  Result<SegmentView> view = SegmentView::Format(segment_->data(), segment_->size(), *layout);
  if (!view.ok()) return view.status();
  view_.emplace(std::move(view).value());

  Arena arena(view_->arena().size_bytes());
  auto allocate = [&arena](uint64_t bytes) { return arena.Allocate(std::max<uint64_t>(bytes, 1)); };
  Result<uint64_t> doorbell_offset = allocate(sizeof(Doorbell));
  if (!doorbell_offset.ok()) return doorbell_offset.status();
  doorbell_ = new (view_->arena().base() + *doorbell_offset) Doorbell();
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
    args.push_back({"--segment", segment_->name(), "--index", std::to_string(w), "--doorbell",
                    std::to_string(*doorbell_offset), "--wait", WaitPolicyName(wait_)});
  }
  pool_ = std::make_unique<WorkerPool>();
  return pool_->Start(WorkerBinaryPath(), args, kStartTimeoutMs);
}

void ProcsMode::Stop() {
  if (view_) view_->CloseAllRings();  // wakes every worker: they leave at once
  if (pool_) pool_->Stop(kStopGraceMs);
  pool_.reset();
  requests_.clear();
  responses_.clear();
  view_.reset();
  segment_.reset();  // unmaps and unlinks
}

Status ProcsMode::SendBatch(int worker, Trial& trial) {
  pb::TaskBatch& batch = *request_.mutable_tasks();
  batch.mutable_tasks()->Clear();  // keeps the allocated TaskSpecs for reuse
  const int64_t submit_ns = NowNs();
  const uint64_t count = std::min<uint64_t>(static_cast<uint64_t>(chunk_), trial.tasks - trial.next);
  for (uint64_t k = 0; k < count; ++k) {
    const uint64_t slot = trial.next++;
    pb::TaskSpec& task = *batch.add_tasks();
    task.set_id(trial.first_id + slot);
    *task.mutable_kernel() = job_.kernel();
    pb::Payload& payload = *task.mutable_payload();
    payload.set_input_offset(input_offset_);
    payload.set_input_bytes(input_bytes_);
    payload.set_output_offset(output_offsets_[static_cast<size_t>(worker)]);
    payload.set_output_bytes(output_bytes_);
    task.set_threads(job_.threads());
    task.set_attempt(1);
    TaskRecord& record = trial.records[slot];
    record.id = trial.first_id + slot;
    record.trial = trial.index;
    record.worker = worker;
    record.t.submit_ns = submit_ns;
  }
  encoded_.clear();
  if (!request_.AppendToString(&encoded_)) return Internal("cannot encode a task batch");
  // Stamped before the push: once the frame is published the worker may take
  // it at once, and its dequeue stamp must not come before this one.
  const int64_t enqueued_ns = NowNs();
  for (uint64_t slot = trial.next - count; slot < trial.next; ++slot) {
    trial.records[slot].t.enqueued_ns = enqueued_ns;
  }
  Ring& ring = requests_[static_cast<size_t>(worker)];
  PARLAB_RETURN_IF_ERROR(ring.PushWait(encoded_.data(), encoded_.size(), wait_, kControlPollNs));
  --trial.credits[static_cast<size_t>(worker)];
  ++frames_sent_;
  return Status::Ok();
}

Status ProcsMode::Absorb(int worker, const pb::ResultBatch& batch, int64_t dequeued_ns,
                         Trial& trial) {
  const std::string who = "worker " + std::to_string(worker);
  for (const pb::TaskResult& result : batch.results()) {
    if (result.id() < trial.first_id || result.id() >= trial.first_id + trial.tasks) {
      return Internal(who + " answered task " + std::to_string(result.id()) +
                      ", which is not in this trial");
    }
    const uint64_t slot = result.id() - trial.first_id;
    if (trial.answered[slot]) continue;  // at-least-once delivery: the first answer counts
    TaskRecord& record = trial.records[slot];
    if (record.worker != worker) {
      return Internal(who + " answered task " + std::to_string(result.id()) +
                      ", which was sent to worker " + std::to_string(record.worker));
    }
    if (result.status() != pb::TASK_OK) {
      return Internal(who + " could not run task " + std::to_string(result.id()) + ": " +
                      result.error());
    }
    trial.answered[slot] = true;
    ++trial.done;
    record.checksum = result.checksum();
    record.flops = result.flops();
    record.bytes = result.bytes();
    TaskStamps& t = record.t;
    t.dequeued_ns = result.t_dequeued_ns();
    t.decoded_ns = result.t_decoded_ns();
    t.compute_start_ns = result.t_compute_start_ns();
    t.compute_end_ns = result.t_compute_end_ns();
    t.result_enqueued_ns = result.t_result_enqueued_ns();
    t.result_dequeued_ns = dequeued_ns;
  }
  ++trial.credits[static_cast<size_t>(worker)];
  return Status::Ok();
}

Result<int> ProcsMode::Collect(Trial& trial) {
  int frames = 0;
  for (size_t w = 0; w < responses_.size(); ++w) {
    for (;;) {
      Result<std::optional<FrameView>> peeked = responses_[w].TryPeek();
      if (!peeked.ok()) return peeked.status();
      if (!peeked->has_value()) break;
      const int64_t dequeued_ns = NowNs();
      const FrameView view = **peeked;
      Status parsed = ParseFrame(view.data, view.size, "worker " + std::to_string(w), response_);
      responses_[w].Consume();
      if (!parsed.ok()) return parsed;
      if (!response_.has_results()) {
        return Internal("worker " + std::to_string(w) + " sent a frame that is not a result batch");
      }
      PARLAB_RETURN_IF_ERROR(Absorb(static_cast<int>(w), response_.results(), dequeued_ns, trial));
      ++frames;
    }
  }
  return frames;
}

Status ProcsMode::WaitForAnswers(Trial& trial, int64_t& idle_since_ns) {
  const int64_t now_ns = NowNs();
  if (idle_since_ns == 0) idle_since_ns = now_ns;
  const bool keep_spinning =
      wait_ == WaitPolicy::kSpin ||
      (wait_ == WaitPolicy::kAdaptive && now_ns - idle_since_ns < kAdaptiveSpinNs);
  if (keep_spinning) {
    CpuRelax();
    // The control plane is looked at every ~millisecond of spinning.
    if (now_ns - idle_since_ns > 1'000'000) {
      idle_since_ns = now_ns - kAdaptiveSpinNs;  // keeps the adaptive decision unchanged
      return pool_->Poll();
    }
    return Status::Ok();
  }
  const uint32_t seen = doorbell_->Prepare();
  Result<int> frames = Collect(trial);
  if (!frames.ok() || *frames > 0) {
    doorbell_->Cancel();
    return frames.ok() ? Status::Ok() : frames.status();
  }
  ++doorbell_sleeps_;
  doorbell_->Wait(seen, kControlPollNs);
  return pool_->Poll();
}

Result<TrialRun> ProcsMode::RunTrial(int32_t trial_index, uint64_t first_id) {
  Trial trial;
  trial.index = trial_index;
  trial.first_id = first_id;
  trial.tasks = static_cast<uint64_t>(job_.tasks());
  trial.credits.assign(static_cast<size_t>(job_.workers()), job_.inflight());
  trial.records.resize(trial.tasks);
  trial.answered.assign(trial.tasks, false);
  PARLAB_RETURN_IF_ERROR(pool_->Poll());

  const int64_t start_ns = NowNs();
  int64_t idle_since_ns = 0;
  while (trial.done < trial.tasks) {
    bool sent = false;
    for (int w = 0; w < job_.workers() && trial.next < trial.tasks; ++w) {
      while (trial.credits[static_cast<size_t>(w)] > 0 && trial.next < trial.tasks) {
        PARLAB_RETURN_IF_ERROR(SendBatch(w, trial));
        sent = true;
      }
    }
    Result<int> frames = Collect(trial);
    if (!frames.ok()) return frames.status();
    if (*frames > 0 || sent) {
      idle_since_ns = 0;
      continue;
    }
    PARLAB_RETURN_IF_ERROR(WaitForAnswers(trial, idle_since_ns));
  }
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  run.records = std::move(trial.records);
  return run;
}

std::vector<std::string> ProcsMode::Notes() const {
  return {"transport shm, wait " + std::string(WaitPolicyName(wait_)) + ", " +
          std::to_string(chunk_) + " task(s) per frame, " + std::to_string(job_.inflight()) +
          " frame(s) in flight per worker; " + std::to_string(frames_sent_) + " frames sent, " +
          std::to_string(doorbell_sleeps_) + " doorbell sleeps"};
}

}  // namespace parlab
