#pragma once
// The uds transport (--transport uds): the same workers and the same protobuf
// task and result frames as shm, but over one Unix stream socket pair per
// worker (inherited as the worker's descriptor 4), with the payload copied
// through the socket instead of living once in shared memory. Running one job
// both ways shows what zero copy is worth.
//
// Per task the coordinator writes [task frame][input bytes] (the input is made
// once, in this process's memory) and reads back [result frame][output bytes]
// into a buffer of its own. One task per frame: --chunk does not apply. The
// sockets are driven asynchronously by the WorkerPool's io_context, together
// with the control plane, so a large task being written while the worker
// writes a large answer cannot deadlock; waiting is always a sleep in epoll
// (--wait does not apply).
//
// A worker has no board here: the scheduler takes its oldest unanswered frame
// as the task it runs. Its replacement gets a fresh socket pair (the dead
// one's may hold half a frame); the old channel is retired, and completion
// handlers still queued for it do nothing. Driven from the coordinator's
// thread only.

#include <boost/asio/local/stream_protocol.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/runtime/transport.h"
#include "shared/aligned_buffer.h"
#include "shared/platform/unique_fd.h"
#include "shared/wire.h"

namespace parlab {

class UdsTransport final : public Transport {
 public:
  explicit UdsTransport(const pb::JobSpec& job);
  ~UdsTransport() override { Stop(); }

  // kInvalidArgument when a task's bytes exceed what the sockets carry
  // (kMaxUdsPayloadBytes each way, which the workers enforce too). ValidateJob
  // asks before anything starts; Start asks again for unvalidated jobs.
  static Status CheckPayload(uint64_t input_bytes, uint64_t output_bytes);

  Status Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) override;
  int TasksPerFrame() const override { return 1; }
  void DescribePayload(int worker, pb::Payload& payload) const override;
  Status Encode(int worker, const pb::Frame& frame) override;
  Status Publish(int worker) override;
  Result<int> Collect() override;
  Result<bool> Wait(int64_t idle_since_ns) override;
  void CollectLeftovers(int worker) override;
  Status Replace(int worker, WorkerPool& pool) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

 private:
  // A frame to write, and whether the task's input bytes follow it (a task
  // frame) or not (job constants).
  struct Outgoing {
    std::string bytes;
    bool input_follows = false;
  };
  // One worker's data socket. Shared with its completion handlers, which
  // keep it alive until they have run, also after it is retired.
  struct Channel {
    int index = 0;
    std::string name;  // "worker 3", for messages
    boost::asio::local::stream_protocol::socket socket;
    std::deque<Outgoing> queue;  // front() is being written, one write at a time
    unsigned char prefix[4] = {};
    std::vector<char> body;
    FrameParser parser;  // the result being read (reads of workers interleave)
    const pb::Frame* frame = nullptr;
    AlignedBuffer output;  // where each answer's output bytes land
    bool retired = false;  // replaced or stopped: its handlers do nothing
    bool ended = false;    // its read side saw end of stream or an error
    bool corrupt = false;  // it sent something that cannot be right

    Channel(int i, boost::asio::io_context& io) : index(i), socket(io) {}
  };

  // A socket pair for worker `index`: our end becomes its channel, the
  // worker's end is returned, for the caller to hand over and close.
  Result<UniqueFd> OpenChannel(int index);
  void StartWrite(const std::shared_ptr<Channel>& channel);
  // The read chain: length prefix → result frame → output bytes → OnResult.
  void ReadResult(const std::shared_ptr<Channel>& channel);
  void ReadFrameBody(const std::shared_ptr<Channel>& channel);
  void OnResult(Channel& channel);
  void OnCorrupt(Channel& channel, const Status& why);
  bool Live(const Channel& channel) const { return !channel.retired && !stopping_; }

  const pb::JobSpec job_;
  uint64_t input_bytes_ = 0;
  uint64_t output_bytes_ = 0;
  AlignedBuffer input_;
  WorkerPool* pool_ = nullptr;
  AnswerSink* sink_ = nullptr;
  std::vector<std::shared_ptr<Channel>> channels_;
  Outgoing staged_;  // the frame Encode made, for Publish
  bool stopping_ = false;
  uint64_t events_ = 0;  // answers and corrupt frames delivered, for Collect's count
  uint64_t frames_sent_ = 0;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

}  // namespace parlab
