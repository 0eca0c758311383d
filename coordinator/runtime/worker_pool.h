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
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
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
// beside the running executable (a build tree), else the installed one
// (../libexec/parlab/ from an installed bin/, or ../lib/parlab/).
std::string WorkerBinaryPath();

// What a worker's environment changes in a copy of ours (ChildSpec::env):
// OPENBLAS_NUM_THREADS=1 unless it is set, so its OpenBLAS starts no idle
// pool of its own.
std::map<std::string, std::optional<std::string>> WorkerEnvironment();

// A worker that ended while the pool was running.
struct WorkerExit {
  int index = 0;
  pid_t pid = 0;
  ExitStatus status;
  std::string reason;            // why the pool killed it ("stopped heart-beating ..."), or ""
  std::string ToString() const;  // "worker 1 (pid 42) killed by signal 9 (Killed)[: reason]"
};

class WorkerPool {
 public:
  struct Options {
    // False: a worker that ends is a failure of the job (Poll() says so).
    // True: it is reported by TakeExits() and the caller replaces it.
    bool replace_dead_workers = false;
    // A worker silent this long (no heartbeat, no frame) is killed as hung;
    // 0: never. Workers beat every heartbeat_timeout / 4 (at most 1 s).
    int64_t heartbeat_timeout_ns = 0;
    // A replacement that has not said hello by then is killed as hung.
    int64_t start_timeout_ns = 10'000'000'000;
    // Arguments every worker gets after its own: the job's constants
    // ("--plugin", PATH), the same for the first workers and replacements.
    std::vector<std::string> common_args;
  };

  WorkerPool();
  explicit WorkerPool(Options options);
  ~WorkerPool();  // kills and reaps every worker still running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts `count` workers from `path`, worker i with args[i] plus
  // Options::common_args and "--control-fd 3 --heartbeat-ms N", and waits up to timeout_ms until
  // each has said hello. When given, worker i also inherits extra_fds[i] as descriptors 4, 5, ...
  // (a transport's data socket); the caller keeps and closes its copies.
  Status Start(const std::string& path, const std::vector<std::vector<std::string>>& args,
               int timeout_ms, const std::vector<std::vector<int>>& extra_fds = {});

  // Runs whatever control-plane work is ready, without blocking. Not OK when
  // SIGINT or SIGTERM arrived (kCancelled), and, unless dead workers are
  // replaced, when a worker died or reported an error (the message names it).
  Status Poll();

  // The workers that ended since the last call (replace_dead_workers only).
  std::vector<WorkerExit> TakeExits();

  // Kills worker `index` at once (a task ran too long) and reaps it. Its end
  // is reported here, not by TakeExits: one that had ended already, its exit
  // not yet taken, is reported with its own status, and only once.
  WorkerExit Kill(int index, std::string reason);

  // Whether worker `index`, which has ended, said hello. Its hello is the
  // first thing a worker writes, before it reads any task, but the SIGCHLD
  // that reported its end may have been handled before the hello was read:
  // its control socket is read to its end first (at most ~100 ms).
  bool SaidHello(int index);

  // Starts a new worker in the place of `index`, which must have ended, with
  // the same arguments, and returns at once: work may be queued for it before
  // its hello. One that dies before its hello is reported like any other;
  // one that never says hello is killed after Options::start_timeout_ns.
  // `extra_fds` are what Start's extra_fds[index] were to the first one
  // (descriptors 4, 5, ...): a transport hands the replacement fresh ones,
  // since the dead worker's ends may hold half a frame. The caller keeps and
  // closes its copies.
  Status Restart(int index, const std::vector<int>& extra_fds = {});

  // Asks every worker to stop (Shutdown frame), waits up to grace_ms for
  // them, then kills those left. Idempotent.
  void Stop(int grace_ms);

  // The io_context that watches the control plane, for a transport that
  // wants its own sockets waited on together with it (uds). Objects bound to
  // it must be destroyed before the pool.
  boost::asio::io_context& io_context() { return io_; }

  int size() const { return static_cast<int>(workers_.size()); }
  pid_t pid(int index) const { return workers_[static_cast<size_t>(index)].process.pid(); }
  // Workers started in all, first ones and replacements.
  int started() const { return started_; }

 private:
  struct Worker {
    int index = 0;
    uint64_t generation = 0;  // a replacement gets a new one; stale callbacks see the old
    ChildProcess process;
    std::unique_ptr<boost::asio::local::stream_protocol::socket> control;
    unsigned char prefix[4] = {};
    std::vector<char> body;
    bool said_hello = false;
    bool control_ended = false;  // its control socket reached its end, or failed
    int64_t last_heard_ns = 0;
    int64_t spawned_ns = 0;
    std::string kill_reason;     // set when the pool decided to kill it
    std::vector<int> extra_fds;  // during Start and Restart only: the caller's to hand over
  };

  Status Spawn(Worker& worker);
  void ReadNext(Worker& worker);
  void OnFrame(Worker& worker, const pb::Frame& frame);
  void OnSignal(int signal);
  void ReapEnded();
  void CheckHeartbeats();
  // A worker misbehaved (corrupt frame, error): it ends, the job does not,
  // when dead workers are replaced; otherwise the job fails.
  void Condemn(Worker& worker, Status why);
  void Fail(Status status);
  Status WaitForHellos(int expected, int timeout_ms);

  Options options_;
  std::string path_;
  std::vector<std::vector<std::string>> args_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::vector<Worker> workers_;
  std::vector<WorkerExit> exits_;
  Status failure_;  // the first thing that went wrong
  int hellos_ = 0;
  int started_ = 0;
  int64_t heartbeat_interval_ms_ = 1000;
  bool stopping_ = false;
};

}  // namespace parlab
