#include "worker/worker.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include "shared/clock.h"
#include "shared/frame_writer.h"
#include "shared/kernels/plugin_loader.h"
#include "shared/shm/doorbell.h"
#include "shared/shm/layout.h"
#include "shared/shm/segment.h"
#include "shared/shm/worker_board.h"
#include "shared/task_frame.h"
#include "shared/wire.h"
#include "worker/fault_injection.h"
#include "worker/heartbeat.h"
#include "worker/task_executor.h"
#include "worker/uds_worker.h"
#ifdef PARLAB_HAVE_MPI
#include "worker/mpi_worker.h"
#endif

namespace parlab {
namespace {

// How long the worker waits on its ring before it looks at the control
// socket: the bound on noticing a Shutdown or a vanished coordinator when no
// task arrives (a dead coordinator also kills us through PR_SET_PDEATHSIG).
constexpr int64_t kIdleCheckNs = 100'000'000;

bool ParseInt(std::string_view text, int64_t& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  const std::string copy(text);
  value = std::strtoll(copy.c_str(), &end, 10);
  return end != nullptr && *end == '\0';
}

class Worker {
 public:
  Worker(const WorkerOptions& options, SegmentView view, Ring requests, Ring responses,
         Doorbell* doorbell, WorkerBoard* board)
      : options_(options),
        peer_("coordinator"),
        requests_(std::move(requests)),
        responses_(std::move(responses)),
        doorbell_(doorbell),
        executor_(view.arena(), options.index, board),
        board_(board),
        // Room for the largest frame the ring holds, and its arrays' growth.
        parser_(std::max<size_t>(64 * 1024, 4 * requests_.max_frame_bytes())),
        learner_(options.wait, options.wait_setting) {
    executor_.set_cancel_fd(options.control_fd);
  }

  Status Run();

 private:
  // Looks at the control socket without blocking: false when the worker must stop.
  bool ControlSaysGoOn();
  Status Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns);
  Status SendControl(const pb::Frame& frame) { return WriteFrame(options_.control_fd, frame); }
  // Learns the wait waited_ns_ holds, if any, and publishes what the
  // learner knows on the board, for run's notes.
  void LearnLastWait() {
    if (waited_ns_ < 0) return;
    learner_.Observe(waited_ns_);
    if (board_ != nullptr) board_->PublishWaits(learner_);
    waited_ns_ = -1;
  }

  const WorkerOptions& options_;
  std::string peer_;
  Ring requests_;
  Ring responses_;
  Doorbell* doorbell_;
  TaskExecutor executor_;
  WorkerBoard* board_;                   // in the segment: where it publishes its waits
  FrameParser parser_;                   // the request frames, parsed into a reused frame
  pb::Frame response_;                   // reused: cleared arrays keep their room
  FrameWriter writer_;                   // the answers' bytes, copied into the response ring
  std::atomic<uint64_t> tasks_done_{0};  // for the heartbeat thread
  WaitLearner learner_;                  // this worker's waits for its next frame
  // The stamp taken last (an answer's result_enqueued, a frame's dequeued):
  // the next wait begins tens of ns after it (after the answer's encode and
  // publish), so it dates the wait without a clock read of its own.
  int64_t last_stamp_ns_ = 0;
  // How long the last wait lasted, learned once its frame is answered (-1:
  // nothing to learn): between the dequeue and the answer it would delay
  // the task.
  int64_t waited_ns_ = -1;
};

bool Worker::ControlSaysGoOn() {
  if (options_.control_fd < 0) return true;  // an MPI rank: the rings' closing stops it
  pollfd fd{options_.control_fd, POLLIN, 0};
  if (poll(&fd, 1, 0) <= 0) return true;
  if ((fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return true;
  pb::Frame frame;
  if (!ReadFrame(options_.control_fd, peer_, frame).ok()) return false;  // EOF: coordinator gone
  return !frame.has_shutdown();
}

Status Worker::Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns) {
  pb::ResultFrame& answers = *response_.mutable_result_frame();
  PARLAB_RETURN_IF_ERROR(executor_.RunFrame(tasks, dequeued_ns, answers, &tasks_done_));
  last_stamp_ns_ = ResultEnqueuedNs(answers);
  if (learner_.LearnsTasks()) learner_.ObserveTask(MeanComputeNs(answers));
  const std::string_view bytes = writer_.Write(response_);
  const size_t size = bytes.size();
  std::byte* slot = size <= responses_.max_frame_bytes() ? responses_.TryReserve(size) : nullptr;
  if (slot == nullptr) {
    PARLAB_ASSIGN_OR_RETURN(slot, responses_.ReserveWait(size, options_.wait, /*timeout_ns=*/-1));
    last_stamp_ns_ = NowNs();  // waited for room: the stamp no longer dates the next wait
  }
  std::memcpy(slot, bytes.data(), size);
  if (AnswersWithGarbage(tasks)) CorruptFrame(slot, size);
  responses_.Commit();
  // With --wait spin the coordinator polls and never sleeps on the doorbell
  // (ShmTransport::Wait; it was started with the same policy as we were), so
  // ringing it would only cost a full fence per answer.
  if (options_.wait != WaitPolicy::kSpin) {
    doorbell_->Ring();
    // A coordinator asleep made that a system call (µs): the next wait
    // begins after it, not at the stamp.
    last_stamp_ns_ = NowNsUnordered();
  }
  return Status::Ok();
}

Status Worker::Run() {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(options_.index);
  hello.mutable_hello()->set_pid(static_cast<int32_t>(getpid()));
  // An MPI rank on the shm path has no control socket: it said hello over
  // MPI, and the coordinator watches its pid instead of heartbeats.
  std::optional<HeartbeatThread> heartbeat;
  if (options_.control_fd >= 0) {
    PARLAB_RETURN_IF_ERROR(SendControl(hello));
    heartbeat.emplace(options_.control_fd, options_.index, options_.heartbeat_ms * 1'000'000,
                      tasks_done_);
  }
  last_stamp_ns_ = NowNs();
  for (;;) {
    LearnLastWait();
    Result<std::optional<FrameView>> ready = requests_.TryPeek();
    if (!ready.ok()) return ready.status();
    // A frame already waiting (the coordinator keeps --inflight frames
    // queued) is not a wait: nothing to decide, nothing to learn. Counted as
    // a wait of ~0 ns, it made spun and slept waits look alike, and the
    // learner slept through half of the waits that were real.
    const bool must_wait = !ready->has_value();
    int64_t wait_start_ns = 0;
    if (must_wait) {
      const WaitDecision decision = learner_.Next();
      ApplyWaitDecision(decision, requests_);
      // Room in the response ring is a wait on the coordinator too: the same
      // decision, not the ring's fixed default spin.
      ApplyWaitDecision(decision, responses_);
      wait_start_ns = last_stamp_ns_;
    }
    Result<FrameView> view =
        must_wait ? requests_.PeekWait(options_.wait, kIdleCheckNs) : Result<FrameView>(**ready);
    // One clock read ends the wait and stamps the dequeue: on a spin round
    // trip every read (~20 ns) is on the critical path.
    const int64_t dequeued_ns = NowNs();
    last_stamp_ns_ = dequeued_ns;
    if (must_wait) waited_ns_ = dequeued_ns - wait_start_ns;
    if (!view.ok()) {
      LearnLastWait();  // before we may leave: the board's counts are what run's notes show
      if (view.status().code() == StatusCode::kUnavailable) return Status::Ok();  // closed
      if (view.status().code() != StatusCode::kDeadlineExceeded) return view.status();
      if (!ControlSaysGoOn()) return Status::Ok();
      continue;
    }
    // Parsed straight from shared memory into our arena; the frame keeps
    // what it needs, so the ring's bytes can be released right after.
    Result<const pb::Frame*> parsed = parser_.Parse(view->data, view->size, peer_);
    requests_.Consume();
    if (!parsed.ok()) return parsed.status();
    const pb::Frame& frame = **parsed;
    if (frame.has_shutdown()) return Status::Ok();
    if (frame.has_constants()) {
      // Kept even when refused: each task of it is then answered TASK_FAILED
      // with the reason, as a bad task always was.
      static_cast<void>(executor_.Prepare(frame.constants()));
      last_stamp_ns_ = NowNsUnordered();  // the next wait begins after the Prepare
      continue;
    }
    if (!frame.has_task_frame()) {
      return InvalidArgument("coordinator sent a frame that is neither job constants nor tasks");
    }
    const Status answered = Answer(frame.task_frame(), dequeued_ns);
    // The coordinator closes the rings to stop us, even while we wait for room.
    if (answered.code() == StatusCode::kUnavailable) return Status::Ok();
    PARLAB_RETURN_IF_ERROR(answered);
  }
}

}  // namespace

Result<WorkerOptions> ParseWorkerOptions(int argc, char** argv) {
  WorkerOptions options;
  bool have_segment = false, have_index = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return InvalidArgument("missing value after " + std::string(flag));
    const std::string_view value = argv[++i];
    int64_t number = 0;
    if (flag == "--segment") {
      options.segment = std::string(value);
      have_segment = true;
    } else if (flag == "--plugin") {
      options.plugin = std::string(value);
    } else if (flag == "--transport") {
      if (value != "shm" && value != "uds" && value != "mpi") {
        return InvalidArgument("--transport must be shm, uds or mpi, got '" + std::string(value) +
                               "'");
      }
      options.uds = value == "uds";
      options.mpi = value == "mpi";
    } else if (flag == "--wait") {
      PARLAB_ASSIGN_OR_RETURN(WaitPolicy policy, ParseWaitPolicy(value));
      options.wait = policy;
    } else if (!ParseInt(value, number) || number < 0) {
      return InvalidArgument(std::string(flag) + " needs a non-negative integer, got '" +
                             std::string(value) + "'");
    } else if (flag == "--index") {
      options.index = static_cast<int>(number);
      have_index = true;
    } else if (flag == "--control-fd") {
      options.control_fd = static_cast<int>(number);
    } else if (flag == "--data-fd") {
      options.data_fd = static_cast<int>(number);
    } else if (flag == "--waiters") {
      options.wait_setting.waiters = static_cast<int>(std::max<int64_t>(1, number));
    } else if (flag == "--cores") {
      options.wait_setting.cores = static_cast<int>(std::max<int64_t>(1, number));
    } else if (flag == "--wake-ns") {
      options.wait_setting.wake_cost_ns = number;
    } else if (flag == "--heartbeat-ms") {
      if (number == 0) return InvalidArgument("--heartbeat-ms must be positive");
      options.heartbeat_ms = number;
    } else {
      return InvalidArgument("unknown argument " + std::string(flag));
    }
  }
  const bool complete = options.mpi   ? true
                        : options.uds ? have_index && options.data_fd >= 0
                                      : have_segment && have_index;
  if (!complete) {
    return InvalidArgument(
        "usage: parlab-worker --segment NAME --index I [--control-fd FD] "
        "[--wait spin|block|adaptive] [--waiters N --cores N --wake-ns NS] [--plugin PATH], or "
        "parlab-worker --transport uds --index I --data-fd FD [--control-fd FD] [--plugin PATH] "
        "(started by parlab, not by hand)");
  }
  return options;
}

Status RunShmWorker(const WorkerOptions& options) {
  PARLAB_ASSIGN_OR_RETURN(Segment segment, Segment::Open(options.segment));
  PARLAB_ASSIGN_OR_RETURN(SegmentView view, SegmentView::Attach(segment.data(), segment.size()));
  const auto index = static_cast<uint32_t>(options.index);
  PARLAB_ASSIGN_OR_RETURN(Ring requests, view.AttachRequestRing(index));
  PARLAB_ASSIGN_OR_RETURN(Ring responses, view.AttachResponseRing(index));
  PARLAB_ASSIGN_OR_RETURN(WorkerBoard * board, view.board(index));
  Worker worker(options, view, std::move(requests), std::move(responses), view.doorbell(), board);
  return worker.Run();
}

Status RunWorker(const WorkerOptions& options) {
  if (options.mpi) {
#ifdef PARLAB_HAVE_MPI
    return RunMpiWorker(options);  // no control socket: errors go to rank 0 over MPI
#else
    return FailedPrecondition("this parlab-worker was built without MPI (PARLAB_WITH_MPI=OFF)");
#endif
  }
  Status status;
  if (!options.plugin.empty()) status = LoadPlugin(options.plugin).status();
  if (status.ok()) status = options.uds ? RunUdsWorker(options) : RunShmWorker(options);
  if (!status.ok()) {
    pb::Frame error;
    error.mutable_error()->set_worker(options.index);
    error.mutable_error()->set_message(status.message());
    (void)WriteFrame(options.control_fd, error);  // best effort: the socket may be gone
  }
  return status;
}

}  // namespace parlab
