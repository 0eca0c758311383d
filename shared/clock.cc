#include "shared/clock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>

#include "shared/mpi_launch.h"

namespace parlab {
namespace clock_internal {

State g_state;

int64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace clock_internal

namespace {

using clock_internal::g_state;

// The first line of a small kernel file, or "" where it cannot be read.
std::string FirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string BootId() { return FirstLine("/proc/sys/kernel/random/boot_id"); }

StampClock Monotonic(std::string reason) {
  StampClock clock;
  clock.reason = std::move(reason);
  return clock;
}

#if defined(__x86_64__)
// NowNs() reads RDTSCP: CPUID 0x80000001, EDX bit 27. Every x86-64 CPU since
// 2008 has it, but a hypervisor may hide it.
bool HasRdtscp() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) != 0 && (edx & (1u << 27)) != 0;
}

// A TSC reading and CLOCK_MONOTONIC at the same moment: of several tries, the
// one whose two TSC readings lie closest around the clock_gettime.
struct Anchor {
  int64_t tsc = 0;
  int64_t ns = 0;
};

Anchor TakeAnchor() {
  Anchor best;
  int64_t best_width = INT64_MAX;
  for (int i = 0; i < 16; ++i) {
    const int64_t before = clock_internal::ReadTscOrdered();
    const int64_t ns = clock_internal::MonotonicNs();
    const int64_t after = clock_internal::ReadTscOrdered();
    if (after - before < best_width) {
      best_width = after - before;
      best = {before + (after - before) / 2, ns};
    }
  }
  return best;
}

// Two anchors 5 ms apart: each is within ~10 ns, so the rate is within a few
// parts per million of the kernel's — far below what a stamp resolves, and the
// same for every process of the run, which is what subtracting stamps needs.
StampClock Calibrate() {
  const Anchor first = TakeAnchor();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Anchor second = TakeAnchor();
  const int64_t ticks = second.tsc - first.tsc;
  const int64_t ns = second.ns - first.ns;
  // 0.1–20 GHz: anything else is not a TSC we understand.
  if (ticks <= 0 || ns <= 0 || ticks < ns / 10 || ticks > ns * 20) {
    return Monotonic("the TSC moved " + std::to_string(ticks) + " ticks in " + std::to_string(ns) +
                     " ns");
  }
  StampClock clock;
  clock.tsc = true;
  clock.tsc_base = second.tsc;
  clock.ns_base = second.ns;
  __extension__ using Uint128 = unsigned __int128;
  clock.ns_per_tick_q32 =
      static_cast<uint64_t>((static_cast<Uint128>(ns) << 32) / static_cast<uint64_t>(ticks));
  clock.boot_id = BootId();
  clock.reason = "calibrated against CLOCK_MONOTONIC";
  return clock;
}
#endif

}  // namespace

StampClock ChooseStampClock() {
  if (const char* handed = std::getenv(kStampClockVariable); handed != nullptr) {
    Result<StampClock> decoded = DecodeStampClock(handed);
    if (!decoded.ok()) return Monotonic(decoded.status().message());
    // Another host's TSC says nothing about ours (a launcher forwarded it).
    if (!decoded->tsc || decoded->boot_id == BootId()) {
      decoded->reason = "handed down by the run's first process";
      return *decoded;
    }
  }
  if (DetectMpiLaunch().under_mpirun) return Monotonic("started by an MPI launcher");
  return CalibrateStampClock();
}

StampClock CalibrateStampClock() {
#if defined(__x86_64__)
  const std::string source =
      FirstLine("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  if (source == "tsc") return HasRdtscp() ? Calibrate() : Monotonic("no RDTSCP instruction");
  return Monotonic("clocksource " + (source.empty() ? std::string("unknown") : source));
#else
  return Monotonic("no TSC on this architecture");
#endif
}

namespace {

std::mutex g_mutex;  // guards StoredClock() and the writes to g_state

// What g_state was set from, with its reason (a function's static: a stamp
// may be taken while other files' statics are still being made).
StampClock& StoredClock() {
  static StampClock clock;
  return clock;
}

void Publish(const StampClock& clock) {
  StoredClock() = clock;
  g_state.tsc = clock.tsc;
  g_state.tsc_base = clock.tsc_base;
  g_state.ns_base = clock.ns_base;
  g_state.ns_per_tick_q32 = clock.ns_per_tick_q32;
  g_state.ready.store(true, std::memory_order_release);
}

void EnsureReady() {
  if (g_state.ready.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_state.ready.load(std::memory_order_relaxed)) Publish(ChooseStampClock());
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

namespace clock_internal {

int64_t NowNsFirstUse(bool ordered) {
  EnsureReady();
  return ordered ? NowNs() : NowNsUnordered();
}

}  // namespace clock_internal

double StampClock::TicksPerNs() const {
  return ns_per_tick_q32 == 0 ? 0.0 : 4294967296.0 / static_cast<double>(ns_per_tick_q32);
}

std::string StampClock::Describe() const {
  if (!tsc) return "CLOCK_MONOTONIC (" + reason + ")";
  char mhz[32];
  std::snprintf(mhz, sizeof mhz, "%.2f", TicksPerNs() * 1000.0);
  return "TSC at " + std::string(mhz) + " MHz, " + reason;
}

StampClock CurrentStampClock() {
  EnsureReady();
  std::lock_guard<std::mutex> lock(g_mutex);
  return StoredClock();
}

void UseStampClock(const StampClock& clock) {
  std::lock_guard<std::mutex> lock(g_mutex);
  Publish(clock);
}

std::string EncodeStampClock(const StampClock& clock) {
  if (!clock.tsc) return "monotonic";
  return "tsc:" + std::to_string(clock.tsc_base) + ":" + std::to_string(clock.ns_base) + ":" +
         std::to_string(clock.ns_per_tick_q32) + ":" + clock.boot_id;
}

Result<StampClock> DecodeStampClock(std::string_view text) {
  StampClock clock;
  if (text == "monotonic") return clock;
  const auto invalid = [&] {
    return InvalidArgument(std::string(kStampClockVariable) + "='" + std::string(text) +
                           "' is neither 'monotonic' nor 'tsc:BASE:NS:MULT:BOOT'");
  };
  if (text.substr(0, 4) != "tsc:") return invalid();
  std::string_view rest = text.substr(4);
  std::string_view fields[4];
  for (int i = 0; i < 3; ++i) {
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return invalid();
    fields[i] = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  fields[3] = rest;
  if (!ParseNumber(fields[0], clock.tsc_base) || !ParseNumber(fields[1], clock.ns_base) ||
      !ParseNumber(fields[2], clock.ns_per_tick_q32) || clock.ns_per_tick_q32 == 0) {
    return invalid();
  }
  clock.tsc = true;
  clock.boot_id = std::string(fields[3]);
  return clock;
}

MonotonicClock& MonotonicClock::Get() {
  static MonotonicClock clock;
  return clock;
}

}  // namespace parlab
