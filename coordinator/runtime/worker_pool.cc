#include "coordinator/runtime/worker_pool.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "shared/clock.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/fd_pair.h"
#include "shared/wire.h"

namespace parlab {
namespace {

std::atomic<int> last_interrupt_signal{0};

// How long SaidHello reads a dead worker's control socket for its hello: its
// end of stream comes in microseconds unless something else holds it open.
constexpr int64_t kControlDrainNs = 100'000'000;

std::string WorkerName(int index) { return "worker " + std::to_string(index); }

}  // namespace

int LastInterruptSignal() { return last_interrupt_signal.load(); }

std::string WorkerBinaryPath() {
  if (const char* path = std::getenv("PARLAB_WORKER"); path != nullptr && *path != '\0') {
    return path;
  }
  // Beside us in a build tree; where `cmake --install` put it in an installed
  // one (PARLAB_WORKER_INSTALL_DIR, relative to the coordinator's directory:
  // bin/../libexec/parlab); where some packagers put such helpers.
  const std::string dir = ExecutableDir();
  for (const char* relative : {".", PARLAB_WORKER_INSTALL_DIR, "../lib/parlab"}) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / relative / "parlab-worker";
    const std::string path = candidate.lexically_normal().string();
    if (IsExecutableFile(path)) return path;
  }
  return dir + "/parlab-worker";  // not there: starting it fails, naming this path
}

std::string WorkerExit::ToString() const {
  std::string text = WorkerName(index) + " (pid " + std::to_string(pid) + ") " + status.ToString();
  if (!reason.empty()) text += ": " + reason;
  return text;
}

WorkerPool::WorkerPool() : WorkerPool(Options{}) {}

WorkerPool::WorkerPool(Options options)
    : options_(options), signals_(io_, SIGCHLD, SIGINT, SIGTERM) {
  if (options_.heartbeat_timeout_ns > 0) {
    // Four beats per timeout: one late beat (a loaded machine) is no death.
    heartbeat_interval_ms_ =
        std::clamp<int64_t>(options_.heartbeat_timeout_ns / 4'000'000, 1, 1000);
  }
  signals_.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) OnSignal(signal);
  });
}

WorkerPool::~WorkerPool() { Stop(/*grace_ms=*/0); }

void WorkerPool::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
}

void WorkerPool::Condemn(Worker& worker, Status why) {
  if (!options_.replace_dead_workers) return Fail(std::move(why));
  if (worker.kill_reason.empty()) worker.kill_reason = why.message();
  worker.process.Signal(SIGKILL);  // reaped, and reported, on its SIGCHLD
}

void WorkerPool::ReapEnded() {
  for (Worker& worker : workers_) {
    const pid_t pid = worker.process.pid();
    std::optional<ExitStatus> status = worker.process.TryReap();
    if (!status) continue;
    WorkerExit exit{worker.index, pid, *status, worker.kill_reason};
    if (options_.replace_dead_workers) {
      exits_.push_back(std::move(exit));
    } else {
      Fail(Unavailable(exit.ToString()));
    }
  }
}

void WorkerPool::CheckHeartbeats() {
  const int64_t now_ns = NowNs();
  for (Worker& worker : workers_) {
    if (!worker.process.running() || !worker.kill_reason.empty()) continue;
    if (!worker.said_hello) {
      // A replacement is not waited for; one that never says hello is hung.
      if (now_ns - worker.spawned_ns > options_.start_timeout_ns) {
        Condemn(worker,
                DeadlineExceeded(WorkerName(worker.index) + " did not say hello within " +
                                 std::to_string(options_.start_timeout_ns / 1'000'000) + " ms"));
      }
      continue;
    }
    if (options_.heartbeat_timeout_ns <= 0) continue;
    const int64_t silent_ns = now_ns - worker.last_heard_ns;
    if (silent_ns > options_.heartbeat_timeout_ns) {
      Condemn(worker, Unavailable(WorkerName(worker.index) + " stopped heart-beating (silent for " +
                                  std::to_string(silent_ns / 1'000'000) + " ms)"));
    }
  }
}

void WorkerPool::OnSignal(int signal) {
  if (signal == SIGINT || signal == SIGTERM) {
    last_interrupt_signal = signal;
    Fail(Cancelled(std::string("interrupted by ") + (signal == SIGINT ? "SIGINT" : "SIGTERM")));
  } else if (signal == SIGCHLD && !stopping_) {
    ReapEnded();
  }
  signals_.async_wait([this](const boost::system::error_code& error, int next) {
    if (!error) OnSignal(next);
  });
}

void WorkerPool::OnFrame(Worker& worker, const pb::Frame& frame) {
  worker.last_heard_ns = NowNs();
  if (frame.has_hello()) {
    if (frame.hello().worker() != worker.index) {
      return Condemn(worker, InvalidArgument(WorkerName(worker.index) + " said hello as worker " +
                                             std::to_string(frame.hello().worker())));
    }
    if (!worker.said_hello) ++hellos_;
    worker.said_hello = true;
  } else if (frame.has_error()) {
    Condemn(worker, Internal(WorkerName(worker.index) + " failed: " + frame.error().message()));
  }
  // A heartbeat needs nothing more than the time it was heard.
}

void WorkerPool::ReadNext(Worker& worker) {
  const uint64_t generation = worker.generation;
  // A stale callback (its worker was replaced) must not touch the new one.
  auto current = [this, &worker, generation] {
    return !stopping_ && worker.generation == generation;
  };
  boost::asio::async_read(
      *worker.control, boost::asio::buffer(worker.prefix),
      [this, &worker, current](const boost::system::error_code& error, size_t) {
        // End of stream: the worker is ending; its SIGCHLD tells how. One
        // that stays alive without a socket stops heart-beating.
        if (!current()) return;
        if (error) {
          worker.control_ended = true;
          return;
        }
        Result<uint32_t> length = DecodeFrameLength(worker.prefix, WorkerName(worker.index));
        if (!length.ok()) return Condemn(worker, length.status());
        worker.body.resize(*length);
        boost::asio::async_read(
            *worker.control, boost::asio::buffer(worker.body),
            [this, &worker, current](const boost::system::error_code& body_error, size_t) {
              if (!current()) return;
              if (body_error) {
                worker.control_ended = true;
                return;
              }
              pb::Frame frame;
              Status parsed = ParseFrame(worker.body.data(), worker.body.size(),
                                         WorkerName(worker.index), frame);
              if (!parsed.ok()) return Condemn(worker, parsed);
              OnFrame(worker, frame);
              ReadNext(worker);
            });
      });
}

std::map<std::string, std::optional<std::string>> WorkerEnvironment() {
  // A worker's OpenBLAS starts without a thread pool, unless the user sized
  // it: Debian's pthreads OpenBLAS starts nproc − 1 threads as it loads, and
  // each spins on sched_yield for ~0.1 s (2^28 cycles, its thread timeout)
  // before it sleeps — beside every worker's first tasks, on every core. A
  // 2,000-task noop job on 2 workers ran at half the rate, a 20,000-task one
  // at 0.7 (2-vCPU VM). A kernel that wants BLAS threads asks for them on
  // each call (SetOpenMpThreads: openblas_set_num_threads grows the pool).
  std::map<std::string, std::optional<std::string>> env;
  if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr) env.emplace("OPENBLAS_NUM_THREADS", "1");
  return env;
}

Status WorkerPool::Spawn(Worker& worker) {
  PARLAB_ASSIGN_OR_RETURN(auto control, MakeSocketPair());
  ChildSpec spec;
  spec.argv.push_back(path_);
  const std::vector<std::string>& args = args_[static_cast<size_t>(worker.index)];
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.argv.insert(spec.argv.end(), options_.common_args.begin(), options_.common_args.end());
  spec.argv.insert(spec.argv.end(),
                   {"--control-fd", "3", "--heartbeat-ms", std::to_string(heartbeat_interval_ms_)});
  spec.inherit_fds = {control.second.get()};  // the worker's descriptor 3
  spec.inherit_fds.insert(spec.inherit_fds.end(), worker.extra_fds.begin(), worker.extra_fds.end());
  spec.stdin_from = ChildInput::kInherit;
  spec.env = WorkerEnvironment();
  Result<ChildProcess> child = ChildProcess::Start(spec);
  control.second.Reset();  // the worker holds its end; ours would hide its end of stream
  if (!child.ok()) return child.status();
  ++started_;
  ++worker.generation;
  worker.process = std::move(child).value();
  worker.control = std::make_unique<boost::asio::local::stream_protocol::socket>(
      io_, boost::asio::local::stream_protocol(), control.first.Release());
  worker.said_hello = false;
  worker.control_ended = false;
  worker.kill_reason.clear();
  worker.last_heard_ns = NowNs();
  worker.spawned_ns = worker.last_heard_ns;
  ReadNext(worker);
  return Status::Ok();
}

Status WorkerPool::WaitForHellos(int expected, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (hellos_ < expected && failure_.ok()) {
    if (io_.run_one_until(deadline) == 0) {
      // Name the silent ones: "1 of 2" alone does not say whom to look at.
      std::string silent;
      for (const Worker& worker : workers_) {
        if (worker.said_hello) continue;
        silent += (silent.empty() ? "" : ", ") + WorkerName(worker.index) + " (pid " +
                  std::to_string(worker.process.pid()) + ")";
      }
      return DeadlineExceeded("workers did not start within " + std::to_string(timeout_ms) +
                              " ms (" + std::to_string(hellos_) + " of " +
                              std::to_string(expected) + " said hello; not " + silent + ")");
    }
    // A worker that dies before its hello would otherwise be waited for in vain.
    for (const WorkerExit& exit : exits_) {
      if (!workers_[static_cast<size_t>(exit.index)].said_hello) {
        return Unavailable(exit.ToString() + " before it said hello");
      }
    }
  }
  return failure_;
}

Status WorkerPool::Start(const std::string& path, const std::vector<std::vector<std::string>>& args,
                         int timeout_ms, const std::vector<std::vector<int>>& extra_fds) {
  path_ = path;
  args_ = args;
  workers_.resize(args.size());  // never resized again: callbacks keep references
  for (size_t i = 0; i < args.size(); ++i) {
    Worker& worker = workers_[i];
    worker.index = static_cast<int>(i);
    if (i < extra_fds.size()) worker.extra_fds = extra_fds[i];
    PARLAB_RETURN_IF_ERROR(Spawn(worker));
    // The extra descriptors are the caller's, to close once the workers hold them.
    worker.extra_fds.clear();
  }
  return WaitForHellos(size(), timeout_ms);
}

Status WorkerPool::Restart(int index, const std::vector<int>& extra_fds) {
  Worker& worker = workers_[static_cast<size_t>(index)];
  if (worker.process.running()) return Internal(WorkerName(index) + " is still running");
  boost::system::error_code ignored;
  if (worker.control) worker.control->close(ignored);
  io_.poll();  // the old socket's cancelled read runs now, as stale
  if (io_.stopped()) io_.restart();
  if (worker.said_hello) --hellos_;  // the dead one's hello no longer counts
  worker.extra_fds = extra_fds;
  const Status spawned = Spawn(worker);
  worker.extra_fds.clear();  // the caller's, as in Start
  return spawned;
}

std::vector<WorkerExit> WorkerPool::TakeExits() {
  std::vector<WorkerExit> taken;
  taken.swap(exits_);
  return taken;
}

WorkerExit WorkerPool::Kill(int index, std::string reason) {
  // Reaped on its SIGCHLD before the caller decided to kill it: the caller
  // replaces it now, and a second report would replace its replacement.
  for (auto it = exits_.begin(); it != exits_.end(); ++it) {
    if (it->index != index) continue;
    WorkerExit exit = std::move(*it);
    exits_.erase(it);
    if (exit.reason.empty()) exit.reason = std::move(reason);
    return exit;
  }
  Worker& worker = workers_[static_cast<size_t>(index)];
  WorkerExit exit{index, worker.process.pid(), {}, std::move(reason)};
  exit.status = worker.process.WaitOrKill(/*timeout_ms=*/0);
  return exit;
}

bool WorkerPool::SaidHello(int index) {
  Worker& worker = workers_[static_cast<size_t>(index)];
  // Bounded: a grandchild that inherited the worker's end would hold the
  // socket open past the worker's death.
  const int64_t deadline_ns = NowNs() + kControlDrainNs;
  while (!worker.said_hello && !worker.control_ended && NowNs() < deadline_ns) {
    io_.run_one_for(std::chrono::milliseconds(1));
    if (io_.stopped()) io_.restart();
  }
  return worker.said_hello;
}

Status WorkerPool::Poll() {
  io_.poll();
  if (io_.stopped()) io_.restart();
  CheckHeartbeats();
  return failure_;
}

void WorkerPool::Stop(int grace_ms) {
  if (stopping_) return;
  stopping_ = true;
  pb::Frame shutdown;
  shutdown.mutable_shutdown()->set_reason("job done");
  std::string bytes;
  AppendFrame(shutdown, bytes);
  for (Worker& worker : workers_) {
    if (worker.control && worker.process.running()) {
      boost::system::error_code ignored;  // a worker that already left cannot be told
      boost::asio::write(*worker.control, boost::asio::buffer(bytes), ignored);
    }
  }
  for (Worker& worker : workers_) {
    if (worker.process.running()) worker.process.WaitOrKill(grace_ms);
  }
  for (Worker& worker : workers_) {
    boost::system::error_code ignored;
    if (worker.control) worker.control->close(ignored);
  }
  io_.poll();  // let the cancelled reads finish before the sockets go away
  workers_.clear();
}

}  // namespace parlab
