#include "worker/worker.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string_view>

#include "shared/clock.h"
#include "shared/kernels/plugin_loader.h"
#include "shared/shm/doorbell.h"
#include "shared/shm/layout.h"
#include "shared/shm/segment.h"
#include "shared/shm/worker_board.h"
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
        executor_(view.arena(), options.index, board) {}

  Status Run();

 private:
  // Looks at the control socket without blocking: false when the worker must stop.
  bool ControlSaysGoOn();
  Status Answer(const pb::TaskBatch& batch, int64_t dequeued_ns, int64_t decoded_ns);
  Status SendControl(const pb::Frame& frame) { return WriteFrame(options_.control_fd, frame); }

  const WorkerOptions& options_;
  std::string peer_;
  Ring requests_;
  Ring responses_;
  Doorbell* doorbell_;
  TaskExecutor executor_;
  pb::Frame request_;  // reused: parsing into it keeps its allocations
  pb::Frame response_;
  std::string encoded_;
  std::atomic<uint64_t> tasks_done_{0};  // the heartbeat thread reports it
};

bool Worker::ControlSaysGoOn() {
  pollfd fd{options_.control_fd, POLLIN, 0};
  if (poll(&fd, 1, 0) <= 0) return true;
  if ((fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return true;
  pb::Frame frame;
  if (!ReadFrame(options_.control_fd, peer_, frame).ok()) return false;  // EOF: coordinator gone
  return !frame.has_shutdown();
}

Status Worker::Answer(const pb::TaskBatch& batch, int64_t dequeued_ns, int64_t decoded_ns) {
  pb::ResultBatch& results = *response_.mutable_results();
  results.mutable_results()->Clear();
  int64_t previous_end_ns = dequeued_ns;
  for (const pb::TaskSpec& task : batch.tasks()) {
    pb::TaskResult& result = *results.add_results();
    // In a chunk, a task is "taken" when the one before it ends.
    result.set_t_dequeued_ns(previous_end_ns);
    result.set_t_decoded_ns(std::max(decoded_ns, previous_end_ns));
    executor_.Execute(task, result);
    if (result.t_compute_end_ns() > 0) previous_end_ns = result.t_compute_end_ns();
    tasks_done_.fetch_add(1, std::memory_order_relaxed);
  }
  const int64_t enqueued_ns = NowNs();
  for (pb::TaskResult& result : *results.mutable_results()) {
    result.set_t_result_enqueued_ns(enqueued_ns);
  }
  encoded_.clear();
  if (!response_.AppendToString(&encoded_)) return Internal("cannot encode the results");
  if (AnswersWithGarbage(batch)) CorruptFrame(encoded_);
  PARLAB_RETURN_IF_ERROR(
      responses_.PushWait(encoded_.data(), encoded_.size(), options_.wait, /*timeout_ns=*/-1));
  doorbell_->Ring();
  return Status::Ok();
}

Status Worker::Run() {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(options_.index);
  hello.mutable_hello()->set_pid(static_cast<int32_t>(getpid()));
  PARLAB_RETURN_IF_ERROR(SendControl(hello));
  HeartbeatThread heartbeat(options_.control_fd, options_.index, options_.heartbeat_ms * 1'000'000,
                            tasks_done_);
  for (;;) {
    Result<FrameView> view = requests_.PeekWait(options_.wait, kIdleCheckNs);
    if (!view.ok()) {
      if (view.status().code() == StatusCode::kUnavailable) return Status::Ok();  // closed
      if (view.status().code() != StatusCode::kDeadlineExceeded) return view.status();
      if (!ControlSaysGoOn()) return Status::Ok();
      continue;
    }
    const int64_t dequeued_ns = NowNs();
    // Parsed straight from shared memory; the message copies what it keeps,
    // so the ring's bytes can be released right after.
    Status parsed = ParseFrame(view->data, view->size, peer_, request_);
    requests_.Consume();
    if (!parsed.ok()) return parsed;
    const int64_t decoded_ns = NowNs();
    if (request_.has_shutdown()) return Status::Ok();
    if (!request_.has_tasks()) {
      return InvalidArgument("coordinator sent a frame that is not a task batch");
    }
    const Status answered = Answer(request_.tasks(), dequeued_ns, decoded_ns);
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
        "[--wait spin|block|adaptive] [--plugin PATH], or parlab-worker --transport uds --index I "
        "--data-fd FD [--control-fd FD] [--plugin PATH] (started by parlab, not by hand)");
  }
  return options;
}

namespace {

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

}  // namespace

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
