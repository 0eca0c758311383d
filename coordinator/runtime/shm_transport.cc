#include "coordinator/runtime/shm_transport.h"

#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string_view>
#include <utility>

#include "coordinator/runtime/segment_size.h"
#include "coordinator/runtime/wait_setting.h"
#include "shared/clock.h"
#include "shared/frame_writer.h"
#include "shared/platform/cpu.h"
#include "shared/task_frame.h"
#include "shared/wire.h"

namespace parlab {
namespace {

// The longest the coordinator sleeps, or waits for room in a ring, before it
// looks at the control plane (SIGCHLD, SIGINT, worker errors) again.
constexpr int64_t kControlPollNs = 10'000'000;
// A spin budget that ends (adaptive) is checked against the clock once in
// this many rounds, as the rings' own waits do (shared/shm/ring.cc): a round
// is a poll of the shard's rings, so the budget ends at most ~1 us late.
constexpr uint64_t kSpinRoundsPerClockRead = 64;
// Looks at the response rings per Collect when none has an answer: ~0.2 µs.
constexpr int kLooksPerCollect = 16;

}  // namespace

ShmTransport::ShmTransport(const pb::JobSpec& job)
    : job_(job),
      workers_(job.workers()),
      inflight_(job.inflight()),
      wait_(FromProto(job.wait())),
      chunk_(ChunkFor(job)),
      shard_of_(static_cast<size_t>(job.workers()), 0) {
  shards_.emplace_back(WaitLearner(wait_, WaitSettingFor(job)));
  for (int w = 0; w < workers_; ++w) shards_.front().workers.push_back(w);
}

Status ShmTransport::SetShards(const std::vector<int>& shard_of_worker, int shards) {
  if (segment_) return Internal("dispatch shards are set before the transport starts");
  if (static_cast<int>(shard_of_worker.size()) != workers_ || shards < 1) {
    return Internal("dispatch shards: one shard per worker expected");
  }
  // Parsing makes protobuf's empty UnknownFieldSet on first use, in a
  // library ThreadSanitizer cannot see into: made here, before the shard
  // threads start, it is not first made by two of them at once.
  (void)google::protobuf::UnknownFieldSet::default_instance();
  const WaitLearner learner = shards_.front().learner;  // nothing learned yet
  shards_.clear();
  for (int s = 0; s < shards; ++s) shards_.emplace_back(learner);
  shard_of_ = shard_of_worker;
  for (int w = 0; w < workers_; ++w) {
    const int shard = shard_of_[static_cast<size_t>(w)];
    if (shard < 0 || shard >= shards) return Internal("dispatch shards: a worker without one");
    shards_[static_cast<size_t>(shard)].workers.push_back(w);
  }
  return Status::Ok();
}

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
    const WaitSetting& setting = shards_.front().learner.setting();
    args.push_back({"--segment", segment_->name(), "--index", std::to_string(w), "--wait",
                    WaitPolicyName(wait_), "--waiters", std::to_string(setting.waiters), "--cores",
                    std::to_string(setting.cores), "--wake-ns",
                    std::to_string(setting.wake_cost_ns)});
  }
  // Room for the largest answer a ring holds, and its arrays' growth.
  for (Shard& shard : shards_) {
    shard.parser = std::make_unique<FrameParser>(
        std::max<size_t>(64 * 1024, 4 * rings_.front().response.max_frame_bytes()));
  }
  return args;
}

Status ShmTransport::AttachRings(int worker) {
  const auto w = static_cast<uint32_t>(worker);
  PARLAB_ASSIGN_OR_RETURN(Ring request, view_->AttachRequestRing(w));
  PARLAB_ASSIGN_OR_RETURN(Ring response, view_->AttachResponseRing(w));
  if (w < rings_.size()) {  // a replacement's
    rings_[w].request = std::move(request);
    rings_[w].response = std::move(response);
  } else {  // Start attaches them in order
    rings_.push_back(WorkerRings{std::move(request), std::move(response)});
  }
  return Status::Ok();
}

void ShmTransport::Stop() {
  // Before the boards go: what the workers learned about waiting, for Notes.
  if (!boards_.empty()) worker_waits_ = WorkerWaits();
  if (view_) view_->CloseAllRings();  // wakes every worker: they leave at once
  rings_.clear();
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
  Ring& ring = rings_[static_cast<size_t>(worker)].request;
  FrameWriter writer;
  const std::string_view bytes = writer.Write(frame);
  const size_t size = bytes.size();
  std::byte* slot = size <= ring.max_frame_bytes() ? ring.TryReserve(size) : nullptr;
  if (slot == nullptr) {
    // Room is a wait on that worker: spent as the coordinator's waits for
    // answers are (not counted as one of them), not the ring's fixed default.
    const WaitLearner& learner = ShardOf(worker).learner;
    ApplyWaitDecision(DecideWait(wait_, learner.history(), learner.setting()), ring);
    PARLAB_ASSIGN_OR_RETURN(slot, ring.ReserveWait(size, wait_, kControlPollNs));
  }
  std::memcpy(slot, bytes.data(), size);
  return Status::Ok();
}

Status ShmTransport::Publish(int worker) {
  rings_[static_cast<size_t>(worker)].request.Commit();
  ++ShardOf(worker).frames_sent;
  return Status::Ok();
}

Result<int> ShmTransport::Drain(int worker) {
  const std::string& who = names_[static_cast<size_t>(worker)];
  Ring& ring = rings_[static_cast<size_t>(worker)].response;
  int frames = 0;
  for (;;) {
    Result<std::optional<FrameView>> peeked = ring.TryPeek();
    if (!peeked.ok()) return Internal(who + "'s response ring: " + peeked.status().message());
    if (!peeked->has_value()) return frames;
    const int64_t dequeued_ns = NowNs();
    ShardOf(worker).answered_ns = dequeued_ns;
    const FrameView view = **peeked;
    Result<const pb::Frame*> parsed = ShardOf(worker).parser->Parse(view.data, view.size, who);
    ring.Consume();
    PARLAB_RETURN_IF_ERROR(parsed.status());
    if (!(*parsed)->has_result_frame()) {
      return Internal(who + " sent a frame that is not a result frame");
    }
    const pb::ResultFrame& answers = (*parsed)->result_frame();
    WaitLearner& learner = ShardOf(worker).learner;
    if (learner.LearnsTasks()) learner.ObserveTask(MeanComputeNs(answers));
    PARLAB_RETURN_IF_ERROR(sink_->OnAnswers(worker, answers, dequeued_ns));
    ++frames;
  }
}

Result<int> ShmTransport::Collect() {
  int frames = 0;
  // Several looks before the scheduler's next round: after its send round it
  // has nothing to do but wait for answers, and each of its rounds between
  // two looks delayed noticing one (a look is a few ns, a round ~30).
  for (int look = 0; look < kLooksPerCollect && frames == 0; ++look) {
    for (size_t shard = 0; shard < shards_.size(); ++shard) {
      PARLAB_ASSIGN_OR_RETURN(int collected, CollectShard(static_cast<int>(shard)));
      frames += collected;
    }
  }
  return frames;
}

Result<int> ShmTransport::CollectShard(int shard_index) {
  Shard& shard = shards_[static_cast<size_t>(shard_index)];
  int frames = 0;
  for (int w : shard.workers) {
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
  if (frames > 0 && shard.waiting_since_ns != 0) {  // the wait ended with an answer
    // Its dequeue stamp dates the end; a corrupt frame took none, so the
    // clock then.
    const int64_t answered_ns =
        shard.answered_ns > shard.waiting_since_ns ? shard.answered_ns : NowNs();
    shard.learner.Observe(answered_ns - shard.waiting_since_ns);
    shard.waiting_since_ns = 0;
  }
  return frames;
}

Result<bool> ShmTransport::Wait(int64_t idle_since_ns) {
  if (shards_.size() != 1) return Internal("several dispatch shards wait in WaitShard");
  return WaitShard(0, idle_since_ns);
}

Result<bool> ShmTransport::WaitShard(int shard_index, int64_t idle_since_ns) {
  Shard& shard = shards_[static_cast<size_t>(shard_index)];
  if (idle_since_ns != shard.waiting_since_ns) {  // a new wait: decide how to spend it
    shard.waiting_since_ns = idle_since_ns;
    shard.decision = shard.learner.Next();
    shard.spins = 0;
  }
  // --wait spin never sleeps: no clock read in its poll loop, whose every
  // nanosecond delays noticing an answer. A budget that ends is checked
  // every kSpinRoundsPerClockRead rounds, or every round when yielding (a
  // yield is a system call, as long as a clock read). A yield that starts
  // with a pause spins until the pause is over.
  WaitDecision& decision = shard.decision;
  bool keep_spinning = decision.choice != WaitChoice::kSleep;
  const bool yields = decision.choice == WaitChoice::kYield && decision.pause_ns == 0;
  if (keep_spinning && decision.spin_ns != INT64_MAX &&
      (yields || ++shard.spins % kSpinRoundsPerClockRead == 0)) {
    const int64_t waited_ns = NowNsUnordered() - idle_since_ns;
    keep_spinning = waited_ns < decision.spin_ns;
    // Spent: the rest of this wait sleeps, round after round.
    if (!keep_spinning) decision.choice = WaitChoice::kSleep;
    if (waited_ns >= decision.pause_ns) decision.pause_ns = 0;  // from now on it yields
  }
  if (keep_spinning) {
    if (yields) {
      YieldCpu();
    } else {
      CpuRelax();
    }
    return false;  // the scheduler looks at the control plane every so often anyway
  }
  Doorbell& doorbell = *view_->doorbell();
  const uint32_t seen = doorbell.Prepare();
  Result<int> frames = CollectShard(shard_index);
  if (!frames.ok() || *frames > 0) {
    doorbell.Cancel();
    if (!frames.ok()) return frames.status();
    return false;
  }
  ++shard.doorbell_sleeps;
  doorbell.Wait(seen, kControlPollNs);
  return true;
}

void ShmTransport::WakeShards() {
  if (view_) view_->doorbell()->Ring();
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
                      DescribeWaits(wait_, history, shards_.front().learner.setting(), counts));
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
  uint64_t frames_sent = 0;
  uint64_t doorbell_sleeps = 0;
  for (const Shard& shard : shards_) {
    frames_sent += shard.frames_sent;
    doorbell_sleeps += shard.doorbell_sleeps;
  }
  std::string learned = "coordinator " + shards_.front().learner.Describe();
  if (shards_.size() > 1) {
    learned += " (dispatcher 1 of " + std::to_string(shards_.size()) + ")";
  }
  std::vector<std::string> notes = {
      "transport shm, wait " + std::string(WaitPolicyName(wait_)) + ", " + std::to_string(chunk_) +
          " task(s) per frame, " + std::to_string(inflight_) + " frame(s) in flight per worker; " +
          std::to_string(frames_sent) + " frames sent, " + std::to_string(doorbell_sleeps) +
          " doorbell sleeps",
      std::move(learned)};
  // Live boards while the job runs, else what Stop read of them.
  const std::vector<std::string> workers = boards_.empty() ? worker_waits_ : WorkerWaits();
  notes.insert(notes.end(), workers.begin(), workers.end());
  return notes;
}

}  // namespace parlab
