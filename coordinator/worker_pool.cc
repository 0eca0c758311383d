#include "coordinator/worker_pool.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>

#include "shared/wire.h"

namespace parlab {
namespace {

std::atomic<int> last_interrupt_signal{0};

std::string WorkerName(int index) { return "worker " + std::to_string(index); }

}  // namespace

int LastInterruptSignal() { return last_interrupt_signal.load(); }

std::string WorkerBinaryPath() {
  if (const char* path = std::getenv("PARLAB_WORKER"); path != nullptr && *path != '\0') {
    return path;
  }
  return ExecutableDir() + "/parlab-worker";
}

WorkerPool::WorkerPool() : signals_(io_, SIGCHLD, SIGINT, SIGTERM) {
  signals_.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) OnSignal(signal);
  });
}

WorkerPool::~WorkerPool() { Stop(/*grace_ms=*/0); }

void WorkerPool::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
}

void WorkerPool::OnSignal(int signal) {
  if (signal == SIGINT || signal == SIGTERM) {
    last_interrupt_signal = signal;
    Fail(Cancelled(std::string("interrupted by ") + (signal == SIGINT ? "SIGINT" : "SIGTERM")));
  } else if (signal == SIGCHLD && !stopping_) {
    for (Worker& worker : workers_) {
      const pid_t pid = worker.process.pid();
      if (std::optional<ExitStatus> status = worker.process.TryReap()) {
        Fail(Unavailable(WorkerName(worker.index) + " (pid " + std::to_string(pid) + ") " +
                         status->ToString()));
      }
    }
  }
  signals_.async_wait([this](const boost::system::error_code& error, int next) {
    if (!error) OnSignal(next);
  });
}

void WorkerPool::OnFrame(Worker& worker, const pb::Frame& frame) {
  if (frame.has_hello()) {
    if (frame.hello().worker() != worker.index) {
      Fail(InvalidArgument(WorkerName(worker.index) + " said hello as worker " +
                           std::to_string(frame.hello().worker())));
      return;
    }
    if (!worker.said_hello) ++hellos_;
    worker.said_hello = true;
  } else if (frame.has_error()) {
    Fail(Internal(WorkerName(worker.index) + " failed: " + frame.error().message()));
  }
  // Heartbeats need no answer yet: a worker's liveness is its SIGCHLD and its
  // socket's end of stream.
}

void WorkerPool::ReadNext(Worker& worker) {
  boost::asio::async_read(
      *worker.control, boost::asio::buffer(worker.prefix),
      [this, &worker](const boost::system::error_code& error, size_t) {
        if (error) {
          if (!stopping_) Fail(Unavailable(WorkerName(worker.index) + " closed its control socket"));
          return;
        }
        Result<uint32_t> length = DecodeFrameLength(worker.prefix, WorkerName(worker.index));
        if (!length.ok()) return Fail(length.status());
        worker.body.resize(*length);
        boost::asio::async_read(
            *worker.control, boost::asio::buffer(worker.body),
            [this, &worker](const boost::system::error_code& body_error, size_t) {
              if (body_error) {
                if (!stopping_) Fail(Unavailable(WorkerName(worker.index) + " broke off a frame"));
                return;
              }
              pb::Frame frame;
              Status parsed = ParseFrame(worker.body.data(), worker.body.size(),
                                         WorkerName(worker.index), frame);
              if (!parsed.ok()) return Fail(parsed);
              OnFrame(worker, frame);
              ReadNext(worker);
            });
      });
}

Status WorkerPool::Start(const std::string& path,
                         const std::vector<std::vector<std::string>>& args, int timeout_ms,
                         const std::vector<std::vector<int>>& extra_fds) {
  workers_.reserve(args.size());  // ReadNext keeps references to the elements
  for (size_t i = 0; i < args.size(); ++i) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      return ResourceExhausted(std::string("socketpair failed: ") + std::strerror(errno));
    }
    std::vector<std::string> worker_args = args[i];
    worker_args.insert(worker_args.end(), {"--control-fd", "3"});
    std::vector<int> inherit = {fds[1]};
    if (i < extra_fds.size()) {
      inherit.insert(inherit.end(), extra_fds[i].begin(), extra_fds[i].end());
    }
    Result<ChildProcess> child = ChildProcess::Spawn(path, worker_args, inherit);
    close(fds[1]);
    if (!child.ok()) {
      close(fds[0]);
      return child.status();
    }
    Worker worker;
    worker.index = static_cast<int>(i);
    worker.process = std::move(child).value();
    worker.control = std::make_unique<boost::asio::local::stream_protocol::socket>(
        io_, boost::asio::local::stream_protocol(), fds[0]);
    workers_.push_back(std::move(worker));
  }
  for (Worker& worker : workers_) ReadNext(worker);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (hellos_ < size() && failure_.ok()) {
    if (io_.run_one_until(deadline) == 0) {
      return DeadlineExceeded("workers did not start within " + std::to_string(timeout_ms) +
                              " ms (" + std::to_string(hellos_) + " of " +
                              std::to_string(size()) + " said hello)");
    }
  }
  return failure_;
}

Status WorkerPool::Poll() {
  io_.poll();
  if (io_.stopped()) io_.restart();
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
  for (Worker& worker : workers_) worker.process.WaitOrKill(grace_ms);
  for (Worker& worker : workers_) {
    boost::system::error_code ignored;
    if (worker.control) worker.control->close(ignored);
  }
  io_.poll();  // let the cancelled reads finish before the sockets go away
  workers_.clear();
}

}  // namespace parlab
