#include "coordinator/runtime/uds_transport.h"

#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>
#include <utility>

#include "shared/clock.h"
#include "shared/platform/fd_pair.h"
#include "shared/shm/wait_policy.h"
#include "shared/wire.h"

namespace parlab {
namespace {

namespace asio = boost::asio;
using boost::asio::local::stream_protocol;

// The longest the coordinator sleeps in epoll before it looks at the control
// plane again (its events also wake it: they share the io_context).
constexpr auto kControlPoll = std::chrono::milliseconds(10);
// How long a dead worker's leftover answers are waited for. Its end of the
// socket closed when it died, so the rest is already in our receive buffer:
// the bound only guards against a bug, it is never waited out.
constexpr int64_t kLeftoversNs = 1'000'000'000;
// The worker's end of its data socket, after its control socket (3).
constexpr int kWorkerDataFd = 4;

std::string Mib(uint64_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20) + " MiB"; }

}  // namespace

UdsTransport::UdsTransport(const pb::JobSpec& job) : job_(job) {}

Status UdsTransport::CheckPayload(uint64_t input_bytes, uint64_t output_bytes) {
  if (input_bytes <= kMaxUdsPayloadBytes && output_bytes <= kMaxUdsPayloadBytes) {
    return Status::Ok();
  }
  return InvalidArgument("--transport uds copies at most " + Mib(kMaxUdsPayloadBytes) +
                         " per task each way; this job needs " + Mib(input_bytes) + " in and " +
                         Mib(output_bytes) + " out: use --transport shm");
}

Result<UniqueFd> UdsTransport::OpenChannel(int index) {
  PARLAB_ASSIGN_OR_RETURN(auto pair, MakeSocketPair());
  auto channel = std::make_shared<Channel>(index, pool_->io_context());
  channel->name = "worker " + std::to_string(index);
  boost::system::error_code error;
  channel->socket.assign(stream_protocol(), pair.first.get(), error);
  if (error) return Internal("cannot watch a data socket: " + error.message());
  pair.first.Release();  // the socket owns our end now
  channel->output = AlignedBuffer(output_bytes_);
  channels_[static_cast<size_t>(index)] = std::move(channel);
  return std::move(pair.second);
}

Status UdsTransport::Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) {
  pool_ = &pool;
  sink_ = &sink;
  input_bytes_ = workload.input_bytes;
  output_bytes_ = workload.output_bytes;
  PARLAB_RETURN_IF_ERROR(CheckPayload(input_bytes_, output_bytes_));
  // The input is made once; every task's copy is written from here.
  input_ = AlignedBuffer(input_bytes_);
  workload.kernel->FillInput(job_.kernel(), input_.mutable_bytes());

  channels_.resize(static_cast<size_t>(job_.workers()));
  std::vector<std::vector<std::string>> args;
  // The workers' ends: handed over by Start, then closed here when this
  // function returns (ours would hide their end of stream).
  std::vector<UniqueFd> theirs;
  std::vector<std::vector<int>> worker_ends;
  Status opened;
  for (int w = 0; w < job_.workers() && opened.ok(); ++w) {
    Result<UniqueFd> end = OpenChannel(w);
    if (!end.ok()) {
      opened = end.status();
      break;
    }
    worker_ends.push_back({end->get()});
    theirs.push_back(std::move(end).value());
    args.push_back({"--transport", "uds", "--index", std::to_string(w), "--data-fd",
                    std::to_string(kWorkerDataFd)});
  }
  const Status started =
      opened.ok() ? pool.Start(WorkerBinaryPath(), args, kWorkerStartTimeoutMs, worker_ends)
                  : opened;
  PARLAB_RETURN_IF_ERROR(started);
  for (const std::shared_ptr<Channel>& channel : channels_) ReadResult(channel);
  return Status::Ok();
}

void UdsTransport::Stop() {
  if (stopping_) return;
  stopping_ = true;
  for (const std::shared_ptr<Channel>& channel : channels_) {
    if (channel == nullptr) continue;
    channel->retired = true;
    boost::system::error_code ignored;
    channel->socket.close(ignored);  // the workers see end of stream and leave
  }
  // The cancelled reads and writes finish (with operation_aborted) and drop
  // their channels before the pool's io_context goes away.
  if (pool_ != nullptr) {
    pool_->io_context().poll();
    if (pool_->io_context().stopped()) pool_->io_context().restart();
  }
  channels_.clear();
  sink_ = nullptr;
}

void UdsTransport::DescribePayload(int /*worker*/, pb::Payload& payload) const {
  // Offsets mean nothing on a socket: the bytes follow the frame.
  payload.set_input_bytes(input_bytes_);
  payload.set_output_bytes(output_bytes_);
}

Status UdsTransport::Encode(int /*worker*/, const pb::Frame& frame) {
  staged_.bytes.clear();
  AppendFrame(frame, staged_.bytes);
  staged_.input_follows = frame.has_task_frame();
  return Status::Ok();
}

Status UdsTransport::Publish(int worker) {
  const std::shared_ptr<Channel>& channel = channels_[static_cast<size_t>(worker)];
  channel->queue.push_back(std::move(staged_));
  staged_ = Outgoing();
  if (channel->queue.size() == 1) StartWrite(channel);
  return Status::Ok();
}

void UdsTransport::StartWrite(const std::shared_ptr<Channel>& channel) {
  const Outgoing& next = channel->queue.front();
  const std::array<asio::const_buffer, 2> buffers = {
      asio::buffer(next.bytes), asio::buffer(input_.data(), next.input_follows ? input_bytes_ : 0)};
  asio::async_write(channel->socket, buffers,
                    [this, channel](const boost::system::error_code& error, size_t bytes) {
                      // A failed write means a dead worker: its SIGCHLD says
                      // how, and the scheduler requeues what it held.
                      if (error || !Live(*channel)) return;
                      bytes_sent_ += bytes;
                      ++frames_sent_;
                      channel->queue.pop_front();
                      if (!channel->queue.empty()) StartWrite(channel);
                    });
}

void UdsTransport::OnCorrupt(Channel& channel, const Status& why) {
  // No further read is started: the stream cannot be resynced.
  channel.corrupt = true;
  ++events_;
  sink_->OnCorrupt(channel.index, why);
}

void UdsTransport::ReadResult(const std::shared_ptr<Channel>& channel) {
  asio::async_read(channel->socket, asio::buffer(channel->prefix),
                   [this, channel](const boost::system::error_code& error, size_t) {
                     if (!Live(*channel)) return;
                     if (error) {
                       channel->ended = true;  // the worker left; its SIGCHLD says how
                       return;
                     }
                     Result<uint32_t> length = DecodeFrameLength(channel->prefix, channel->name);
                     if (!length.ok()) return OnCorrupt(*channel, length.status());
                     channel->body.resize(*length);
                     ReadFrameBody(channel);
                   });
}

void UdsTransport::ReadFrameBody(const std::shared_ptr<Channel>& channel) {
  asio::async_read(
      channel->socket, asio::buffer(channel->body),
      [this, channel](const boost::system::error_code& error, size_t) {
        if (!Live(*channel)) return;
        if (error) {
          channel->ended = true;  // it died in the middle of an answer
          return;
        }
        Result<const pb::Frame*> parsed =
            channel->parser.Parse(channel->body.data(), channel->body.size(), channel->name);
        if (!parsed.ok()) return OnCorrupt(*channel, parsed.status());
        channel->frame = *parsed;
        if (!channel->frame->has_result_frame() || channel->frame->result_frame().ids_size() != 1) {
          return OnCorrupt(*channel,
                           InvalidArgument(channel->name + " sent a frame that is not exactly one "
                                                           "task's result"));
        }
        if (output_bytes_ == 0) {
          OnResult(*channel);
          if (Live(*channel) && !channel->corrupt) ReadResult(channel);
          return;
        }
        // Exactly the output the job's kernel makes follows every result.
        asio::async_read(channel->socket, asio::buffer(channel->output.data(), output_bytes_),
                         [this, channel](const boost::system::error_code& output_error, size_t) {
                           if (!Live(*channel)) return;
                           if (output_error) {
                             channel->ended = true;
                             return;
                           }
                           OnResult(*channel);
                           if (Live(*channel) && !channel->corrupt) ReadResult(channel);
                         });
      });
}

void UdsTransport::OnResult(Channel& channel) {
  const int64_t dequeued_ns = NowNs();
  bytes_received_ += channel.body.size() + kFrameLengthBytes + output_bytes_;
  ++events_;
  Status answered = sink_->OnAnswers(channel.index, channel.frame->result_frame(), dequeued_ns);
  if (!answered.ok()) OnCorrupt(channel, answered);
}

Result<int> UdsTransport::Collect() {
  asio::io_context& io = pool_->io_context();
  const uint64_t before = events_;
  io.poll();
  if (io.stopped()) io.restart();
  return static_cast<int>(events_ - before);
}

Result<bool> UdsTransport::Wait(int64_t /*idle_since_ns*/) {
  // Always a sleep in epoll: the answers, the control plane and the signals
  // all wake it.
  asio::io_context& io = pool_->io_context();
  const size_t ran = io.run_one_for(kControlPoll);
  if (io.stopped()) io.restart();
  return ran == 0;
}

void UdsTransport::CollectLeftovers(int worker) {
  const std::shared_ptr<Channel> channel = channels_[static_cast<size_t>(worker)];
  asio::io_context& io = pool_->io_context();
  const int64_t deadline_ns = NowNs() + kLeftoversNs;
  // Its read chain runs to the end of stream, delivering every whole answer
  // on the way; other workers' events run too, as they would anyway.
  while (!channel->ended && !channel->corrupt && NowNs() < deadline_ns) {
    io.run_one_for(kControlPoll);
    if (io.stopped()) io.restart();
  }
}

Status UdsTransport::Replace(int worker, WorkerPool& pool) {
  const std::shared_ptr<Channel> old = channels_[static_cast<size_t>(worker)];
  old->retired = true;
  boost::system::error_code ignored;
  old->socket.close(ignored);  // its handlers run as stale, and free it
  PARLAB_ASSIGN_OR_RETURN(UniqueFd theirs, OpenChannel(worker));
  PARLAB_RETURN_IF_ERROR(pool.Restart(worker, {theirs.get()}));  // then ours of theirs closes
  ReadResult(channels_[static_cast<size_t>(worker)]);
  return Status::Ok();
}

std::vector<std::string> UdsTransport::Notes() const {
  std::vector<std::string> notes = {
      "transport uds: payload copied through Unix stream sockets, 1 task per frame, " +
      std::to_string(job_.inflight()) + " frame(s) in flight per worker, waits in epoll; " +
      std::to_string(frames_sent_) + " frames sent, " + Mib(bytes_sent_) + " sent, " +
      Mib(bytes_received_) + " received"};
  if (job_.chunk() != 1) {
    notes.push_back("--chunk is ignored by --transport uds (1 task per frame)");
  }
  if (FromProto(job_.wait()) != WaitPolicy::kAdaptive) {
    notes.push_back("--wait is ignored by --transport uds (it always sleeps in epoll)");
  }
  return notes;
}

}  // namespace parlab
