#pragma once
// Time for stamps and reports: nanoseconds on one time axis shared by every
// process of one run (the coordinator and the workers it starts), so a stamp
// taken in a worker and one taken in the coordinator subtract meaningfully.
//
// The stamp clock. Where the kernel itself keeps time with the TSC (its
// clocksource is "tsc": the counter is invariant and in step on every core),
// stamps read the TSC and scale it by one calibration against CLOCK_MONOTONIC,
// made once by the run's first process and handed to every child it starts in
// PARLAB_STAMP_CLOCK (shared/platform/child_start.cc) — so two processes turn
// the same TSC reading into the same nanosecond. Everywhere else (another
// clocksource or architecture, or a process started by mpirun, which has no
// parent of ours to hand it down) the stamp clock is CLOCK_MONOTONIC itself.
//
// Two reads, because ordering is what a stamp costs:
//  - NowNs(): ordered. It is read after every instruction before it has
//    executed and every load before it is globally visible (RDTSCP), so a
//    stamp taken after seeing another process's frame is later than that
//    process's stamps before it published the frame. Unlike LFENCE; RDTSC
//    (the kernel's clock_gettime) it does not hold back the instructions
//    after it: right after an MPI poll that found a message, the fence cost
//    ~25 ns more a stamp than RDTSCP (bench ipc's mpi row: 0.55 → 0.51 µs a
//    round trip, 2-vCPU EPYC VM). ~17 ns alone; the one to use by default.
//  - NowNsUnordered(): the bare RDTSC (~9 ns). It may be read up to the CPU's
//    reorder window (tens of ns) before the instructions ahead of it finish,
//    but never after a store behind it is visible to another core (stores
//    become visible only after it retires). So it serves a stamp taken before
//    publishing (submit, enqueued, compute, result_enqueued) and a thread's
//    own intervals — where a batch of tiny tasks spends half its time stamping.
// Both are thread- and process-safe. Code that waits or times out takes a
// Clock&, so tests can pass a FakeClock.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace parlab {

// The environment variable that hands the calibration to a child.
inline constexpr const char* kStampClockVariable = "PARLAB_STAMP_CLOCK";

// How this process turns a reading into nanoseconds.
struct StampClock {
  bool tsc = false;              // false: CLOCK_MONOTONIC, the fields below unused
  int64_t tsc_base = 0;          // a TSC reading ...
  int64_t ns_base = 0;           // ... and CLOCK_MONOTONIC at that moment
  uint64_t ns_per_tick_q32 = 0;  // nanoseconds per tick, times 2^32
  std::string boot_id;           // the host boot it was made on: TSCs of two hosts are unrelated
  std::string reason;            // why this clock, for Describe(); not handed down

  double TicksPerNs() const;
  // For `parlab env` and notes: "TSC at 2445.41 MHz, calibrated against
  // CLOCK_MONOTONIC" or "CLOCK_MONOTONIC (clocksource kvm-clock)".
  std::string Describe() const;
};

// This process's stamp clock: chosen on first use.
StampClock CurrentStampClock();
// What this process would choose now: PARLAB_STAMP_CLOCK when it names this
// host's boot (or "monotonic"), else CLOCK_MONOTONIC under an MPI launcher,
// else a fresh calibration where the kernel's clocksource is the TSC.
StampClock ChooseStampClock();
// A fresh calibration of this host's TSC where the kernel's clocksource is the
// TSC, else CLOCK_MONOTONIC with the reason — whoever started the process. For
// a process that is a run's first though it was not started first (an MPI rank).
StampClock CalibrateStampClock();
// Adopt another process's calibration. Before other threads read the clock.
void UseStampClock(const StampClock& clock);
// PARLAB_STAMP_CLOCK's value: "monotonic" or "tsc:BASE:NS:MULT:BOOT".
std::string EncodeStampClock(const StampClock& clock);
Result<StampClock> DecodeStampClock(std::string_view text);

namespace clock_internal {

struct State {
  std::atomic<bool> ready{false};  // the fields below are set (released with it)
  bool tsc = false;
  int64_t tsc_base = 0;
  int64_t ns_base = 0;
  uint64_t ns_per_tick_q32 = 0;
};
extern State g_state;

int64_t MonotonicNs();
int64_t NowNsFirstUse(bool ordered);  // initialises g_state, then reads

inline int64_t ScaleTicks(const State& s, int64_t ticks) {
  __extension__ using Int128 = __int128;
  const Int128 delta = static_cast<Int128>(ticks - s.tsc_base);
  return s.ns_base + static_cast<int64_t>((delta * static_cast<Int128>(s.ns_per_tick_q32)) >> 32);
}

#if defined(__x86_64__)
inline int64_t ReadTsc() { return static_cast<int64_t>(__builtin_ia32_rdtsc()); }
inline int64_t ReadTscOrdered() {
  unsigned int cpu;  // IA32_TSC_AUX, unused
  return static_cast<int64_t>(__builtin_ia32_rdtscp(&cpu));
}
#else
inline int64_t ReadTsc() { return 0; }  // never used: the clock is never "tsc" here
inline int64_t ReadTscOrdered() { return 0; }
#endif

}  // namespace clock_internal

inline int64_t NowNs() {
  const clock_internal::State& s = clock_internal::g_state;
  if (!s.ready.load(std::memory_order_acquire)) return clock_internal::NowNsFirstUse(true);
  return s.tsc ? clock_internal::ScaleTicks(s, clock_internal::ReadTscOrdered())
               : clock_internal::MonotonicNs();
}

inline int64_t NowNsUnordered() {
  const clock_internal::State& s = clock_internal::g_state;
  if (!s.ready.load(std::memory_order_acquire)) return clock_internal::NowNsFirstUse(false);
  return s.tsc ? clock_internal::ScaleTicks(s, clock_internal::ReadTsc())
               : clock_internal::MonotonicNs();
}

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
