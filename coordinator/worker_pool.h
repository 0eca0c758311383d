#pragma once
// WorkerPool: the coordinator's worker processes and its control plane.
// It fork+execs parlab-worker W times, each with one end of a Unix socket
// pair as its control socket (hello, heartbeats, errors, shutdown), and one
// Boost.Asio io_context watches everything: a signal_set for SIGCHLD, SIGINT
// and SIGTERM, and an asynchronous read on every control socket.
//
// The data path (rings in shared memory) does not go through Asio: the
// scheduler polls the pool between its own waits (Poll() never blocks), so in
// --wait spin the data path never enters the kernel.
// Used from the coordinator's thread only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/platform/child_process.h"
#include "shared/status.h"

namespace parlab {

// The signal (SIGINT, SIGTERM) that interrupted the last job, 0 if none; the
// CLI turns it into exit code 128 + signal.
int LastInterruptSignal();

// The parlab-worker to start: $PARLAB_WORKER when set (tests), else the one
// beside the running executable.
std::string WorkerBinaryPath();

class WorkerPool {
 public:
  WorkerPool();
  ~WorkerPool();  // kills and reaps every worker still running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts `count` workers from `path`, worker i with args[i] plus
  // "--control-fd 3", and waits up to timeout_ms until each has said hello.
  // When given, worker i also inherits extra_fds[i] as descriptors 4, 5, ...
  // (a transport's data socket); the caller keeps and closes its copies.
  Status Start(const std::string& path, const std::vector<std::vector<std::string>>& args,
               int timeout_ms, const std::vector<std::vector<int>>& extra_fds = {});

  // Runs whatever control-plane work is ready, without blocking. Not OK when a
  // worker died or reported an error (the message names it) or when SIGINT or
  // SIGTERM arrived (kCancelled).
  Status Poll();

  // Asks every worker to stop (Shutdown frame), waits up to grace_ms for
  // them, then kills those left. Idempotent.
  void Stop(int grace_ms);

  // The io_context that watches the control plane, for a transport that
  // wants its own sockets waited on together with it (uds). Objects bound to
  // it must be destroyed before the pool.
  boost::asio::io_context& io_context() { return io_; }

  int size() const { return static_cast<int>(workers_.size()); }
  pid_t pid(int index) const { return workers_[static_cast<size_t>(index)].process.pid(); }

 private:
  struct Worker {
    int index = 0;
    ChildProcess process;
    std::unique_ptr<boost::asio::local::stream_protocol::socket> control;
    unsigned char prefix[4] = {};
    std::vector<char> body;
    bool said_hello = false;
  };

  void ReadNext(Worker& worker);
  void OnFrame(Worker& worker, const pb::Frame& frame);
  void OnSignal(int signal);
  void Fail(Status status);

  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::vector<Worker> workers_;
  Status failure_;  // the first thing that went wrong
  int hellos_ = 0;
  bool stopping_ = false;
};

}  // namespace parlab
