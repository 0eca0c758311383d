#pragma once
// procs and hybrid over the uds transport (--transport uds): the same workers,
// the same protobuf task and result frames and the same credit-based dispatch
// as ProcsMode, but over one Unix stream socket pair per worker (inherited as
// the worker's descriptor 4), with the payload copied through the socket
// instead of living once in shared memory. Running one job both ways shows
// what zero copy is worth.
//
// Per task the coordinator writes [task frame][input bytes] (the input is made
// once, in this process's memory) and reads back [result frame][output bytes]
// into a buffer of its own. One task per frame: --chunk does not apply. The
// sockets are driven asynchronously by the WorkerPool's io_context, together
// with the control plane, so a large task being written while the worker
// writes a large answer cannot deadlock; waiting is always a sleep in epoll
// (--wait does not apply). Driven from the coordinator's thread only.

#include <boost/asio/local/stream_protocol.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/runtime/mode.h"
#include "coordinator/runtime/task_ledger.h"
#include "coordinator/runtime/worker_pool.h"
#include "shared/aligned_buffer.h"

namespace parlab {

class UdsProcsMode final : public Mode {
 public:
  explicit UdsProcsMode(pb::JobSpec job);
  ~UdsProcsMode() override;

  Status Start() override;
  Result<TrialRun> RunTrial(int32_t trial, uint64_t first_id) override;
  void Stop() override;
  std::vector<std::string> Notes() const override;

  // kInvalidArgument when a task's bytes exceed what the sockets carry
  // (kMaxUdsPayloadBytes each way, which the workers enforce too). ValidateJob
  // asks before anything starts; Start asks again for unvalidated jobs.
  static Status CheckPayload(uint64_t input_bytes, uint64_t output_bytes);

 private:
  // A task frame waiting for, or in, its write.
  struct Outgoing {
    std::string frame;  // length prefix + TaskBatch of one task
    uint64_t slot = 0;  // the task's index in the trial
  };

  // One worker's data socket. Owned through a unique_ptr: the completion
  // handlers keep references to it.
  struct Channel {
    int index = 0;
    std::string name;  // "worker 3", for messages
    std::unique_ptr<boost::asio::local::stream_protocol::socket> socket;
    std::deque<Outgoing> queue;  // front() is being written; one write at a time
    unsigned char prefix[4] = {};
    std::vector<char> body;
    pb::Frame frame;       // the result being read (reads of workers interleave)
    AlignedBuffer output;  // where each answer's output bytes land
  };

  void Send(Channel& channel, TaskLedger& ledger);
  void StartWrite(Channel& channel);
  // The read chain: length prefix → result frame → output bytes → OnResult.
  void ReadResult(Channel& channel);
  void ReadFrameBody(Channel& channel);
  void OnResult(Channel& channel);
  Status Absorb(Channel& channel, const pb::TaskResult& result, int64_t dequeued_ns);
  void OnIoError(Channel& channel, const boost::system::error_code& error, const char* what);
  void Fail(Status status);
  // The first failure, preferring the pool's (it names a dead worker's signal).
  Status Failure();

  pb::JobSpec job_;
  uint64_t input_bytes_ = 0;
  uint64_t output_bytes_ = 0;
  AlignedBuffer input_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<std::unique_ptr<Channel>> channels_;
  TaskLedger* ledger_ = nullptr;  // the trial RunTrial is running, for the handlers
  std::vector<int> credits_;      // frames each worker may still be sent
  std::string first_task_error_;
  Status failure_;
  bool stopping_ = false;
  pb::Frame request_;  // reused for encoding
  uint64_t frames_sent_ = 0;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

}  // namespace parlab
