#include "worker/heartbeat.h"

#include <chrono>

#include "shared/clock.h"
#include "shared/wire.h"

namespace parlab {

HeartbeatThread::HeartbeatThread(int control_fd, int worker, int64_t interval_ns,
                                 const std::atomic<uint64_t>& tasks_done)
    : control_fd_(control_fd), worker_(worker), interval_ns_(interval_ns), tasks_done_(tasks_done) {
  thread_ = std::thread([this] { Beat(); });
}

HeartbeatThread::~HeartbeatThread() { Stop(); }

void HeartbeatThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HeartbeatThread::Beat() {
  pb::Frame beat;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, std::chrono::nanoseconds(interval_ns_),
                       [this] { return stopping_; })) {
      return;
    }
    beat.mutable_heartbeat()->set_worker(worker_);
    beat.mutable_heartbeat()->set_t_ns(NowNs());
    beat.mutable_heartbeat()->set_tasks_done(tasks_done_.load(std::memory_order_relaxed));
    // A failed write means the coordinator is gone: the main loop notices
    // that on its own (ring closed, socket EOF, PDEATHSIG), so just stop.
    lock.unlock();  // Stop() must not wait behind a slow write
    const bool written = WriteFrame(control_fd_, beat).ok();
    lock.lock();
    if (!written) return;
  }
}

}  // namespace parlab
