#pragma once
// Time for stamps and reports. NowNs() reads CLOCK_MONOTONIC, which is one
// clock for every process of a host, so stamps taken in a worker and in the
// coordinator subtract meaningfully. Thread- and process-safe.
// Code that waits or times out takes a Clock&, so tests can pass a FakeClock.

#include <atomic>
#include <cstdint>

namespace parlab {

int64_t NowNs();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNs() const = 0;
};

class MonotonicClock final : public Clock {
 public:
  int64_t NowNs() const override { return ::parlab::NowNs(); }
  static MonotonicClock& Get();
};

// A clock that moves only when told; for tests of time-outs and schedules.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ns = 0) : now_ns_(start_ns) {}
  int64_t NowNs() const override { return now_ns_.load(std::memory_order_acquire); }
  void AdvanceNs(int64_t delta_ns) { now_ns_.fetch_add(delta_ns, std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace parlab
