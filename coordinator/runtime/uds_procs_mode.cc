#include "coordinator/runtime/uds_procs_mode.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/wire.h"

namespace parlab {
namespace {

namespace asio = boost::asio;
using boost::asio::local::stream_protocol;

// The longest the coordinator sleeps in epoll before it looks at the control
// plane's failures again (they also wake it: they share the io_context).
constexpr auto kControlPoll = std::chrono::milliseconds(10);
constexpr int64_t kPoolPollNs = 1'000'000;
constexpr int kStartTimeoutMs = 10'000;
constexpr int kStopGraceMs = 1'000;
// The worker's end of its data socket, after its control socket (3).
constexpr int kWorkerDataFd = 4;

// As ProcsMode finds the worker: $PARLAB_WORKER (tests), else beside us.
std::string Mib(uint64_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20) + " MiB"; }

}  // namespace

UdsProcsMode::UdsProcsMode(pb::JobSpec job) : job_(std::move(job)) {}

Status UdsProcsMode::CheckPayload(uint64_t input_bytes, uint64_t output_bytes) {
  if (input_bytes <= kMaxUdsPayloadBytes && output_bytes <= kMaxUdsPayloadBytes) {
    return Status::Ok();
  }
  return InvalidArgument("--transport uds copies at most " + Mib(kMaxUdsPayloadBytes) +
                         " per task each way; this job needs " + Mib(input_bytes) + " in and " +
                         Mib(output_bytes) + " out: use --transport shm");
}

UdsProcsMode::~UdsProcsMode() { Stop(); }

void UdsProcsMode::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
}

Status UdsProcsMode::Failure() {
  // A worker that failed wrote its Error frame before its data socket closed;
  // the pool's message says why, ours only that the socket went.
  if (pool_) {
    if (Status pool = pool_->Poll(); !pool.ok()) return pool;
  }
  return failure_;
}

Status UdsProcsMode::Start() {
  const Kernel* kernel = FindKernel(job_.kernel().kernel());
  if (kernel == nullptr) return InvalidArgument("unknown workload " + job_.kernel().kernel());
  input_bytes_ = kernel->InputBytes(job_.kernel());
  output_bytes_ = kernel->OutputBytes(job_.kernel());
  PARLAB_RETURN_IF_ERROR(CheckPayload(input_bytes_, output_bytes_));
  // The input is made once; every task's copy is written from here.
  input_ = AlignedBuffer(input_bytes_);
  kernel->FillInput(job_.kernel(), input_.mutable_bytes());

  // A worker that dies fails the job here: the uds transport does not requeue
  // (procs over shm does). A silent worker is still caught as hung.
  WorkerPool::Options options;
  options.heartbeat_timeout_ns = job_.heartbeat_timeout_ms() * 1'000'000;
  pool_ = std::make_unique<WorkerPool>(options);
  std::vector<std::vector<std::string>> args;
  std::vector<std::vector<int>> worker_ends;
  std::vector<int> our_ends;
  for (int w = 0; w < job_.workers(); ++w) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      for (int fd : our_ends) close(fd);
      for (const std::vector<int>& end : worker_ends) close(end[0]);
      return ResourceExhausted(std::string("socketpair failed: ") + std::strerror(errno));
    }
    our_ends.push_back(fds[0]);
    worker_ends.push_back({fds[1]});
    args.push_back({"--transport", "uds", "--index", std::to_string(w), "--data-fd",
                    std::to_string(kWorkerDataFd)});
  }
  // The sockets own our ends from here, so every exit path closes them.
  for (int w = 0; w < job_.workers(); ++w) {
    auto channel = std::make_unique<Channel>();
    channel->index = w;
    channel->name = "worker " + std::to_string(w);
    channel->socket = std::make_unique<stream_protocol::socket>(pool_->io_context());
    boost::system::error_code error;
    channel->socket->assign(stream_protocol(), our_ends[static_cast<size_t>(w)], error);
    if (error) close(our_ends[static_cast<size_t>(w)]);
    channel->output = AlignedBuffer(output_bytes_);
    channels_.push_back(std::move(channel));
    if (error) {
      for (const std::vector<int>& end : worker_ends) close(end[0]);
      return Internal("cannot watch a data socket: " + error.message());
    }
  }
  const Status started = pool_->Start(WorkerBinaryPath(), args, kStartTimeoutMs, worker_ends);
  // The workers hold their ends now; ours would hide their end of stream.
  for (const std::vector<int>& end : worker_ends) close(end[0]);
  PARLAB_RETURN_IF_ERROR(started);
  for (std::unique_ptr<Channel>& channel : channels_) ReadResult(*channel);
  return Status::Ok();
}

void UdsProcsMode::Stop() {
  stopping_ = true;
  ledger_ = nullptr;
  for (std::unique_ptr<Channel>& channel : channels_) {
    boost::system::error_code ignored;
    channel->socket->close(ignored);  // the workers see end of stream and leave
  }
  // The cancelled reads and writes finish (with operation_aborted) before the
  // channels they refer to go away.
  if (pool_) pool_->io_context().poll();
  channels_.clear();
  if (pool_) pool_->Stop(kStopGraceMs);
  pool_.reset();
}

void UdsProcsMode::Send(Channel& channel, TaskLedger& ledger) {
  pb::TaskBatch& batch = *request_.mutable_tasks();
  batch.mutable_tasks()->Clear();  // keeps the allocated TaskSpec for reuse
  // One task per frame, and a worker's death fails the job here: no frame is
  // ever blamed, so frames need no numbers.
  const uint64_t slot = ledger.Take(channel.index, NowNs(), /*frame=*/0);
  pb::TaskSpec& task = *batch.add_tasks();
  task.set_id(ledger.id(slot));
  *task.mutable_kernel() = job_.kernel();
  // Offsets mean nothing on a socket: the bytes follow the frame.
  pb::Payload& payload = *task.mutable_payload();
  payload.set_input_bytes(input_bytes_);
  payload.set_output_bytes(output_bytes_);
  task.set_threads(job_.threads());
  task.set_attempt(ledger.record(slot).attempt);

  Outgoing outgoing;
  outgoing.slot = slot;
  AppendFrame(request_, outgoing.frame);
  --credits_[static_cast<size_t>(channel.index)];
  channel.queue.push_back(std::move(outgoing));
  if (channel.queue.size() == 1) StartWrite(channel);
}

void UdsProcsMode::StartWrite(Channel& channel) {
  Outgoing& outgoing = channel.queue.front();
  // "enqueued" is stamped as the write starts, not when it completes: a large
  // payload's write completes only while the worker reads it, so a completion
  // stamp could fall after the worker's own dequeued stamp.
  if (ledger_ != nullptr) ledger_->record(outgoing.slot).t.enqueued_ns = NowNs();
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(outgoing.frame),
                                                     asio::buffer(input_.data(), input_bytes_)};
  asio::async_write(*channel.socket, buffers,
                    [this, &channel](const boost::system::error_code& error, size_t bytes) {
                      if (error) return OnIoError(channel, error, "cannot take a task");
                      bytes_sent_ += bytes;
                      ++frames_sent_;
                      channel.queue.pop_front();
                      if (!channel.queue.empty()) StartWrite(channel);
                    });
}

void UdsProcsMode::OnIoError(Channel& channel, const boost::system::error_code& error,
                             const char* what) {
  if (stopping_ || error == asio::error::operation_aborted) return;
  Fail(Unavailable(channel.name + " " + what + ": its data socket failed (" + error.message() +
                   ")"));
}

void UdsProcsMode::ReadResult(Channel& channel) {
  asio::async_read(*channel.socket, asio::buffer(channel.prefix),
                   [this, &channel](const boost::system::error_code& error, size_t) {
                     if (error) return OnIoError(channel, error, "left");
                     Result<uint32_t> length = DecodeFrameLength(channel.prefix, channel.name);
                     if (!length.ok()) return Fail(length.status());
                     channel.body.resize(*length);
                     ReadFrameBody(channel);
                   });
}

void UdsProcsMode::ReadFrameBody(Channel& channel) {
  asio::async_read(
      *channel.socket, asio::buffer(channel.body),
      [this, &channel](const boost::system::error_code& error, size_t) {
        if (error) return OnIoError(channel, error, "broke off a result");
        Status parsed =
            ParseFrame(channel.body.data(), channel.body.size(), channel.name, channel.frame);
        if (!parsed.ok()) return Fail(parsed);
        if (!channel.frame.has_results() || channel.frame.results().results_size() != 1) {
          return Fail(InvalidArgument(channel.name +
                                      " sent a frame that is not exactly one task's result"));
        }
        if (output_bytes_ == 0) return OnResult(channel);
        // Exactly the output the job's kernel makes follows every result.
        asio::async_read(*channel.socket, asio::buffer(channel.output.data(), output_bytes_),
                         [this, &channel](const boost::system::error_code& output_error, size_t) {
                           if (output_error) {
                             return OnIoError(channel, output_error, "broke off an output");
                           }
                           OnResult(channel);
                         });
      });
}

void UdsProcsMode::OnResult(Channel& channel) {
  const int64_t dequeued_ns = NowNs();
  bytes_received_ += channel.body.size() + kFrameLengthBytes + output_bytes_;
  if (Status s = Absorb(channel, channel.frame.results().results(0), dequeued_ns); !s.ok()) {
    return Fail(std::move(s));
  }
  ReadResult(channel);
}

Status UdsProcsMode::Absorb(Channel& channel, const pb::TaskResult& result, int64_t dequeued_ns) {
  if (ledger_ == nullptr) return Internal(channel.name + " answered while no task was in flight");
  PARLAB_RETURN_IF_ERROR(ledger_->Answer(channel.index, result, dequeued_ns));
  ++credits_[static_cast<size_t>(channel.index)];
  return Status::Ok();
}

Result<TrialRun> UdsProcsMode::RunTrial(int32_t trial_index, uint64_t first_id) {
  if (!failure_.ok()) return failure_;  // a broken stream cannot be resynced
  TaskLedger ledger(trial_index, first_id, static_cast<uint64_t>(job_.tasks()),
                    static_cast<int>(channels_.size()), job_.max_attempts());
  credits_.assign(channels_.size(), job_.inflight());
  PARLAB_RETURN_IF_ERROR(pool_->Poll());
  ledger_ = &ledger;
  struct Leave {
    TaskLedger*& current;
    ~Leave() { current = nullptr; }  // the handlers must not see a finished trial
  } leave{ledger_};

  asio::io_context& io = pool_->io_context();
  const int64_t start_ns = NowNs();
  int64_t pool_polled_ns = start_ns;
  while (!ledger.Complete()) {
    for (std::unique_ptr<Channel>& channel : channels_) {
      while (credits_[static_cast<size_t>(channel->index)] > 0 && ledger.HasWork()) {
        Send(*channel, ledger);
      }
    }
    if (!failure_.ok()) return Failure();
    const size_t ran = io.run_one_for(kControlPoll);
    if (io.stopped()) io.restart();
    if (!failure_.ok()) return Failure();
    // The pool's own failures (a worker's Error frame, SIGCHLD, SIGINT) are
    // noticed by its handlers, which run in run_one_for too; Poll() reads them.
    if (const int64_t now_ns = NowNs(); ran == 0 || now_ns - pool_polled_ns >= kPoolPollNs) {
      pool_polled_ns = now_ns;
      PARLAB_RETURN_IF_ERROR(pool_->Poll());
    }
  }
  TrialRun run;
  run.wall_ns = NowNs() - start_ns;
  if (first_task_error_.empty()) first_task_error_ = ledger.first_error();
  run.records = ledger.TakeRecords();
  return run;
}

std::vector<std::string> UdsProcsMode::Notes() const {
  std::vector<std::string> notes = {
      "transport uds: payload copied through Unix stream sockets, 1 task per frame, " +
      std::to_string(job_.inflight()) + " frame(s) in flight per worker, waits in epoll; " +
      std::to_string(frames_sent_) + " frames sent, " + Mib(bytes_sent_) + " sent, " +
      Mib(bytes_received_) + " received"};
  if (!first_task_error_.empty()) notes.push_back(first_task_error_);
  if (job_.chunk() != 1)
    notes.push_back("--chunk is ignored by --transport uds (1 task per frame)");
  if (job_.wait() == pb::SPIN || job_.wait() == pb::BLOCK) {
    notes.push_back("--wait is ignored by --transport uds (it always sleeps in epoll)");
  }
  return notes;
}

}  // namespace parlab
