#include "worker/uds_worker.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "shared/aligned_buffer.h"
#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/arena.h"
#include "shared/task_frame.h"
#include "shared/wire.h"
#include "worker/fault_injection.h"
#include "worker/heartbeat.h"
#include "worker/task_executor.h"

namespace parlab {
namespace {

// How long poll() waits before it looks again; a vanished coordinator also
// ends us through the control socket's EOF or PR_SET_PDEATHSIG.
constexpr int kIdleCheckMs = 1000;

uint64_t AlignUp(uint64_t bytes) {
  return (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
}

// Sends every byte of `parts` in as few system calls as the socket allows.
// MSG_NOSIGNAL: a coordinator that left makes this an error, not a SIGPIPE.
Status SendAll(int fd, iovec* parts, size_t count) {
  while (count > 0) {
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = count;
    const ssize_t n = sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable(std::string("data socket: send failed: ") + std::strerror(errno));
    auto sent = static_cast<size_t>(n);
    while (count > 0 && sent >= parts->iov_len) {
      sent -= parts->iov_len;
      ++parts;
      --count;
    }
    if (count > 0) {
      parts->iov_base = static_cast<char*>(parts->iov_base) + sent;
      parts->iov_len -= sent;
    }
  }
  return Status::Ok();
}

class UdsWorker {
 public:
  explicit UdsWorker(const WorkerOptions& options)
      : options_(options), executor_(ArenaView(nullptr, 0), options.index) {
    executor_.set_cancel_fd(options.control_fd);
  }

  Status Run();

 private:
  // Reads one frame: job constants (kept), or a task and its input, which it
  // runs and answers. False when the coordinator closed the data socket
  // between two frames (an orderly end).
  Result<bool> ServeOne();
  // Checks job constants against their kernel before a byte of payload is
  // read and sizes our buffer for them. Any mismatch is fatal: the stream
  // cannot be resynced.
  Status Accept(const pb::JobConstants& constants);
  Status Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns);
  // Looks at the control socket: false when the worker must stop.
  bool ControlSaysGoOn();

  const WorkerOptions& options_;
  const std::string peer_ = "coordinator";
  FrameParser parser_;
  pb::Frame response_;  // reused: cleared arrays keep their room
  std::vector<char> body_;
  std::string encoded_;
  AlignedBuffer buffer_;  // [input | output], 64-byte aligned; grows, never shrinks
  TaskExecutor executor_;
  uint64_t input_bytes_ = 0;  // what follows each task frame, from the constants
  uint64_t output_bytes_ = 0;
  uint64_t output_offset_ = 0;
  std::atomic<uint64_t> tasks_done_{0};  // the heartbeat thread reports it
};

bool UdsWorker::ControlSaysGoOn() {
  pb::Frame frame;
  if (!ReadFrame(options_.control_fd, peer_, frame).ok()) return false;  // EOF: coordinator gone
  return !frame.has_shutdown();
}

Status UdsWorker::Accept(const pb::JobConstants& given) {
  const pb::KernelParams& params = given.kernel();
  const Kernel* kernel = FindKernel(params.kernel());
  if (kernel == nullptr) {
    return InvalidArgument("coordinator sent a job of unknown kernel '" + params.kernel() + "'");
  }
  // Validate first: InputBytes of unchecked parameters could be anything.
  if (Status s = kernel->Validate(params); !s.ok()) {
    return InvalidArgument("coordinator sent a bad job: " + s.message());
  }
  const pb::Payload& payload = given.payload();
  const uint64_t input_bytes = kernel->InputBytes(params);
  const uint64_t output_bytes = kernel->OutputBytes(params);
  if (payload.input_bytes() != input_bytes || payload.output_bytes() != output_bytes) {
    return InvalidArgument("coordinator announced " + std::to_string(payload.input_bytes()) +
                           " input and " + std::to_string(payload.output_bytes()) +
                           " output bytes, but " + params.kernel() + " needs " +
                           std::to_string(input_bytes) + " and " + std::to_string(output_bytes));
  }
  if (input_bytes > kMaxUdsPayloadBytes || output_bytes > kMaxUdsPayloadBytes) {
    return ResourceExhausted("a task's payload is above the uds limit of " +
                             std::to_string(kMaxUdsPayloadBytes) + " bytes each way");
  }
  input_bytes_ = input_bytes;
  output_bytes_ = output_bytes;
  output_offset_ = AlignUp(input_bytes);
  if (buffer_.size() < output_offset_ + output_bytes) {
    buffer_ = AlignedBuffer(output_offset_ + output_bytes);  // faulted in once, by the zero fill
  }
  // The executor sees our buffer as its arena: input at 0, output after it.
  executor_ = TaskExecutor(ArenaView(buffer_.data(), buffer_.size()), options_.index);
  executor_.set_cancel_fd(options_.control_fd);
  pb::JobConstants constants = given;
  constants.mutable_payload()->set_input_offset(0);
  constants.mutable_payload()->set_output_offset(output_offset_);
  // Checked above already; a refusal here would fail each task with its reason.
  static_cast<void>(executor_.Prepare(constants));
  return Status::Ok();
}

Status UdsWorker::Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns) {
  if (tasks.ids_size() != 1 || tasks.constants() != executor_.version() ||
      (tasks.inputs_size() != 0 && tasks.inputs_size() != 1)) {
    return InvalidArgument(
        "coordinator sent a frame that is not exactly one task of the job constants received "
        "(uds does not chunk)");
  }
  PARLAB_RETURN_IF_ERROR(ReadExactly(options_.data_fd, buffer_.data(), input_bytes_));
  const int64_t decoded_ns = NowNs();

  pb::ResultFrame& answers = *response_.mutable_result_frame();
  ResultFrameWriter writer(answers, options_.index, dequeued_ns);
  SetDecoded(answers, decoded_ns);
  executor_.Run(tasks.ids(0), tasks.fault(), tasks.inputs_size() > 0 ? &tasks.inputs(0) : nullptr,
                writer);
  tasks_done_.fetch_add(1, std::memory_order_relaxed);
  SetResultEnqueued(answers, NowNs());
  encoded_.clear();
  AppendFrame(response_, encoded_);
  if (AnswersWithGarbage(tasks)) {
    // Garbage behind an honest length, as on the rings: the coordinator must
    // refuse the frame itself, not a length it cannot read.
    CorruptFrame(reinterpret_cast<std::byte*>(encoded_.data()) + kFrameLengthBytes,
                 encoded_.size() - kFrameLengthBytes);
  }
  // The output follows even when the task failed: the coordinator reads
  // exactly output_bytes after every result, so the stream stays in step.
  iovec parts[2] = {{encoded_.data(), encoded_.size()},
                    {buffer_.data() + output_offset_, output_bytes_}};
  return SendAll(options_.data_fd, parts, output_bytes_ > 0 ? 2 : 1);
}

Result<bool> UdsWorker::ServeOne() {
  const int fd = options_.data_fd;
  unsigned char prefix[kFrameLengthBytes];
  // The first byte tells an orderly end (EOF between frames) from a torn frame.
  ssize_t got = 0;
  do {
    got = read(fd, prefix, 1);
  } while (got < 0 && errno == EINTR);
  if (got == 0) return false;
  if (got < 0) return Unavailable(std::string("data socket: read failed: ") + std::strerror(errno));
  PARLAB_RETURN_IF_ERROR(ReadExactly(fd, prefix + 1, sizeof(prefix) - 1));
  PARLAB_ASSIGN_OR_RETURN(uint32_t length, DecodeFrameLength(prefix, peer_));
  body_.resize(length);
  PARLAB_RETURN_IF_ERROR(ReadExactly(fd, body_.data(), body_.size()));
  const int64_t dequeued_ns = NowNs();

  PARLAB_ASSIGN_OR_RETURN(const pb::Frame* frame, parser_.Parse(body_.data(), body_.size(), peer_));
  if (frame->has_shutdown()) return false;
  if (frame->has_constants()) {
    PARLAB_RETURN_IF_ERROR(Accept(frame->constants()));
    return true;
  }
  if (!frame->has_task_frame()) {
    return InvalidArgument("coordinator sent a frame that is neither job constants nor a task");
  }
  PARLAB_RETURN_IF_ERROR(Answer(frame->task_frame(), dequeued_ns));
  return true;
}

Status UdsWorker::Run() {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(options_.index);
  hello.mutable_hello()->set_pid(static_cast<int32_t>(getpid()));
  PARLAB_RETURN_IF_ERROR(WriteFrame(options_.control_fd, hello));
  HeartbeatThread heartbeat(options_.control_fd, options_.index, options_.heartbeat_ms * 1'000'000,
                            tasks_done_);
  for (;;) {
    pollfd fds[2] = {{options_.data_fd, POLLIN, 0}, {options_.control_fd, POLLIN, 0}};
    const int ready = poll(fds, 2, kIdleCheckMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Internal(std::string("poll failed: ") + std::strerror(errno));
    if (ready == 0) continue;
    // Control first: a Shutdown wins over tasks still queued in the socket.
    if (fds[1].revents != 0 && !ControlSaysGoOn()) return Status::Ok();
    if (fds[0].revents != 0) {
      PARLAB_ASSIGN_OR_RETURN(bool served, ServeOne());
      if (!served) return Status::Ok();
    }
  }
}

}  // namespace

Status RunUdsWorker(const WorkerOptions& options) { return UdsWorker(options).Run(); }

}  // namespace parlab
