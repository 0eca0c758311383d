#include "coordinator/runtime/shm_transport.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "coordinator/runtime/segment_size.h"
#include "coordinator/runtime/wait_setting.h"
#include "shared/clock.h"
#include "shared/platform/cpu.h"
#include "shared/wire.h"

namespace parlab {
namespace {

// The longest the coordinator sleeps, or waits for room in a ring, before it
// looks at the control plane (SIGCHLD, SIGINT, worker errors) again.
constexpr int64_t kControlPollNs = 10'000'000;

}  // namespace

ShmTransport::ShmTransport(const pb::JobSpec& job)
    : job_(job),
      workers_(job.workers()),
      inflight_(job.inflight()),
      wait_(FromProto(job.wait())),
      chunk_(ChunkFor(job)),
      learner_(wait_, WaitSettingFor(job)) {}

Status ShmTransport::Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) {
  PARLAB_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> args,
                          StartChannels(workload, sink));
  return pool.Start(WorkerBinaryPath(), args, kWorkerStartTimeoutMs);
}

Result<std::vector<std::vector<std::string>>> ShmTransport::StartChannels(const Workload& workload,
                                                                          AnswerSink& sink) {
  sink_ = &sink;
  input_bytes_ = workload.input_bytes;
  output_bytes_ = workload.output_bytes;
  // The same plan validation checked against /dev/shm's free space.
  PARLAB_ASSIGN_OR_RETURN(LayoutSpec spec, SegmentLayoutFor(job_));
  PARLAB_ASSIGN_OR_RETURN(Layout layout, PlanLayout(spec));
  PARLAB_ASSIGN_OR_RETURN(Segment segment,
                          Segment::Create(Segment::MakeName(), layout.header.total_bytes));
  segment_.emplace(std::move(segment));
  PARLAB_ASSIGN_OR_RETURN(SegmentView view,
                          SegmentView::Format(segment_->data(), segment_->size(), layout));
  view_.emplace(std::move(view));

  Arena arena(view_->arena().size_bytes());
  auto allocate = [&arena](uint64_t bytes) { return arena.Allocate(std::max<uint64_t>(bytes, 1)); };
  PARLAB_ASSIGN_OR_RETURN(uint64_t input, allocate(input_bytes_));
  input_offset_ = input;
  for (int w = 0; w < workers_; ++w) {
    PARLAB_ASSIGN_OR_RETURN(uint64_t output, allocate(output_bytes_));
    output_offsets_.push_back(output);
  }
  // The input is made once, in place: workers read it where it is.
  workload.kernel->FillInput(job_.kernel(), {view_->arena().base() + input_offset_, input_bytes_});

  std::vector<std::vector<std::string>> args;
  for (int w = 0; w < workers_; ++w) {
    names_.push_back("worker " + std::to_string(w));
    PARLAB_RETURN_IF_ERROR(AttachRings(w));
    PARLAB_ASSIGN_OR_RETURN(WorkerBoard * board, view_->board(static_cast<uint32_t>(w)));
    boards_.push_back(board);
    // The segment's header tells the worker where its rings, board and the
    // doorbell are: its name and the index are all it needs.
    const WaitSetting& setting = learner_.setting();
    args.push_back({"--segment", segment_->name(), "--index", std::to_string(w), "--wait",
                    WaitPolicyName(wait_), "--waiters", std::to_string(setting.waiters), "--cores",
                    std::to_string(setting.cores), "--wake-ns",
                    std::to_string(setting.wake_cost_ns)});
  }
  // Room for the largest answer a ring holds, and its arrays' growth.
  parser_ = std::make_unique<FrameParser>(
      std::max<size_t>(64 * 1024, 4 * responses_.front().max_frame_bytes()));
  return args;
}

Status ShmTransport::AttachRings(int worker) {
  const auto w = static_cast<uint32_t>(worker);
  PARLAB_ASSIGN_OR_RETURN(Ring request, view_->AttachRequestRing(w));
  PARLAB_ASSIGN_OR_RETURN(Ring response, view_->AttachResponseRing(w));
  if (w < requests_.size()) {  // a replacement's
    requests_[w] = std::move(request);
    responses_[w] = std::move(response);
  } else {  // Start attaches them in order
    requests_.push_back(std::move(request));
    responses_.push_back(std::move(response));
  }
  return Status::Ok();
}

void ShmTransport::Stop() {
  // Before the boards go: what the workers learned about waiting, for Notes.
  if (!boards_.empty()) worker_waits_ = WorkerWaits();
  if (view_) view_->CloseAllRings();  // wakes every worker: they leave at once
  requests_.clear();
  responses_.clear();
  boards_.clear();
  view_.reset();
  segment_.reset();  // unmaps and unlinks; the workers' own mappings stay theirs
  sink_ = nullptr;
}

void ShmTransport::DescribePayload(int worker, pb::Payload& payload) const {
  payload.set_input_offset(input_offset_);
  payload.set_input_bytes(input_bytes_);
  payload.set_output_offset(output_offsets_[static_cast<size_t>(worker)]);
  payload.set_output_bytes(output_bytes_);
}

Status ShmTransport::Encode(int worker, const pb::Frame& frame) {
  Ring& ring = requests_[static_cast<size_t>(worker)];
  // Sized once; the cached sizes then serialize it straight into the slot.
  const size_t size = frame.ByteSizeLong();
  std::byte* slot = size <= ring.max_frame_bytes() ? ring.TryReserve(size) : nullptr;
  if (slot == nullptr) {
    // Room is a wait on that worker: spent as the coordinator's waits for
    // answers are (not counted as one of them), not the ring's fixed default.
    ApplyWaitDecision(DecideWait(wait_, learner_.history(), learner_.setting()), ring);
    PARLAB_ASSIGN_OR_RETURN(slot, ring.ReserveWait(size, wait_, kControlPollNs));
  }
  frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(slot));
  return Status::Ok();
}

Status ShmTransport::Publish(int worker) {
  requests_[static_cast<size_t>(worker)].Commit();
  ++frames_sent_;
  return Status::Ok();
}

Result<int> ShmTransport::Drain(int worker) {
  const std::string& who = names_[static_cast<size_t>(worker)];
  Ring& ring = responses_[static_cast<size_t>(worker)];
  int frames = 0;
  for (;;) {
    Result<std::optional<FrameView>> peeked = ring.TryPeek();
    if (!peeked.ok()) return Internal(who + "'s response ring: " + peeked.status().message());
    if (!peeked->has_value()) return frames;
    const int64_t dequeued_ns = NowNs();
    const FrameView view = **peeked;
    Result<const pb::Frame*> parsed = parser_->Parse(view.data, view.size, who);
    ring.Consume();
    PARLAB_RETURN_IF_ERROR(parsed.status());
    if (!(*parsed)->has_result_frame()) {
      return Internal(who + " sent a frame that is not a result frame");
    }
    PARLAB_RETURN_IF_ERROR(sink_->OnAnswers(worker, (*parsed)->result_frame(), dequeued_ns));
    ++frames;
  }
}

Result<int> ShmTransport::Collect() {
  int frames = 0;
  for (int w = 0; w < workers_; ++w) {
    Result<int> drained = Drain(w);
    if (drained.ok()) {
      frames += *drained;
      continue;
    }
    // Ends that worker, not the job: the scheduler kills and replaces it
    // before it looks at this ring again.
    sink_->OnCorrupt(w, drained.status());
    ++frames;  // something happened: the caller should look again before sleeping
  }
  if (frames > 0 && waiting_since_ns_ != 0) {  // the wait ended with an answer
    learner_.Observe(NowNs() - waiting_since_ns_);
    waiting_since_ns_ = 0;
  }
  return frames;
}

Result<bool> ShmTransport::Wait(int64_t idle_since_ns) {
  if (idle_since_ns != waiting_since_ns_) {  // a new wait: decide how to spend it
    waiting_since_ns_ = idle_since_ns;
    decision_ = learner_.Next();
  }
  // --wait spin never sleeps: no clock read in its poll loop, whose every
  // nanosecond delays noticing an answer.
  const bool keep_spinning =
      decision_.choice != WaitChoice::kSleep &&
      (decision_.spin_ns == INT64_MAX || NowNs() - idle_since_ns < decision_.spin_ns);
  if (keep_spinning) {
    if (decision_.choice == WaitChoice::kYield) {
      YieldCpu();
    } else {
      CpuRelax();
    }
    return false;  // the scheduler looks at the control plane every so often anyway
  }
  Doorbell& doorbell = *view_->doorbell();
  const uint32_t seen = doorbell.Prepare();
  Result<int> frames = Collect();
  if (!frames.ok() || *frames > 0) {
    doorbell.Cancel();
    if (!frames.ok()) return frames.status();
    return false;
  }
  ++doorbell_sleeps_;
  doorbell.Wait(seen, kControlPollNs);
  return true;
}

std::optional<RunningTask> ShmTransport::RunningTaskOf(int worker) const {
  const WorkerBoard& board = *boards_[static_cast<size_t>(worker)];
  const uint64_t running = board.running_task.load(std::memory_order_acquire);
  if (running == 0) return std::nullopt;
  // started_ns was stored before running_task's release store (worker_board.h).
  return RunningTask{running - 1, board.started_ns.load(std::memory_order_relaxed)};
}

void ShmTransport::CollectLeftovers(int worker) {
  // Answers it published before it died still count. A corrupt one is
  // reported to the sink, which ignores reports about a worker it is
  // replacing.
  if (Result<int> drained = Drain(worker); !drained.ok())
    sink_->OnCorrupt(worker, drained.status());
}

Status ShmTransport::Replace(int worker, WorkerPool& pool) {
  PARLAB_RETURN_IF_ERROR(view_->ResetWorker(static_cast<uint32_t>(worker)));
  PARLAB_RETURN_IF_ERROR(AttachRings(worker));
  return pool.Restart(worker);
}

std::vector<std::string> ShmTransport::WorkerWaits() const {
  // One line a worker while they fit on a screen; beyond that, worker 0's
  // line and the counts of all of them.
  constexpr size_t kWorkersShown = 4;
  std::vector<std::string> lines;
  WaitCounts all;
  for (size_t w = 0; w < boards_.size(); ++w) {
    WaitHistory history;
    const WaitCounts counts = boards_[w]->PublishedWaits(history);
    for (int c = 0; c < 3; ++c) all.by_choice[c] += counts.by_choice[c];
    if (w < kWorkersShown) {
      lines.push_back("worker " + std::to_string(w) + " " +
                      DescribeWaits(wait_, history, learner_.setting(), counts));
    }
  }
  if (boards_.size() > kWorkersShown) {
    lines.resize(1);
    lines.back() += "; all " + std::to_string(boards_.size()) +
                    " workers: " + std::to_string(all.total()) + " waits";
    for (const WaitChoice choice : {WaitChoice::kSpin, WaitChoice::kYield, WaitChoice::kSleep}) {
      const uint64_t n = all.by_choice[static_cast<int>(choice)];
      if (n > 0) lines.back() += ", " + std::to_string(n) + " " + WaitChoiceName(choice);
    }
  }
  return lines;
}

std::vector<std::string> ShmTransport::Notes() const {
  std::vector<std::string> notes = {
      "transport shm, wait " + std::string(WaitPolicyName(wait_)) + ", " + std::to_string(chunk_) +
          " task(s) per frame, " + std::to_string(inflight_) + " frame(s) in flight per worker; " +
          std::to_string(frames_sent_) + " frames sent, " + std::to_string(doorbell_sleeps_) +
          " doorbell sleeps",
      "coordinator " + learner_.Describe()};
  // Live boards while the job runs, else what Stop read of them.
  const std::vector<std::string> workers = boards_.empty() ? worker_waits_ : WorkerWaits();
  notes.insert(notes.end(), workers.begin(), workers.end());
  return notes;
}

}  // namespace parlab
