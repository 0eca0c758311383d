#pragma once
// HeartbeatThread: says "alive, N tasks done" on the control socket every
// interval, from its own thread, so a worker deep in a long task still
// heart-beats. The coordinator treats a worker that falls silent (stopped,
// swapped out for good, wedged in the kernel) as hung; a task that runs too
// long while the worker still beats is --task-timeout's business instead.
//
// The thread is the only writer of the control socket while it runs: start it
// after Hello, stop it before a final Error frame.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace parlab {

class HeartbeatThread {
 public:
  // Starts beating at once. `tasks_done` is read, never written.
  HeartbeatThread(int control_fd, int worker, int64_t interval_ns,
                  const std::atomic<uint64_t>& tasks_done);
  ~HeartbeatThread();  // Stop()
  HeartbeatThread(const HeartbeatThread&) = delete;
  HeartbeatThread& operator=(const HeartbeatThread&) = delete;

  // Stops and joins; idempotent.
  void Stop();

 private:
  void Beat();

  const int control_fd_;
  const int worker_;
  const int64_t interval_ns_;
  const std::atomic<uint64_t>& tasks_done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace parlab
