// Round-trip latency between two processes over shared memory: the parent
// (coordinator's role) pushes a 64-byte frame into a request ring, a forked
// child (worker's role) echoes it into a response ring, the parent takes it.
// One benchmark per wait policy, a raw futex ping-pong (two system calls a
// side, no ring) as the reference for what sleeping costs, and a raw spin
// ping-pong (one shared word each way, no ring) as the reference for what
// spinning costs: `parlab bench ipc`'s "spin" row, so the ring's own share of
// a spin round trip is the ratio of the two here.
//
// Parent and child are pinned to the first two allowed CPUs, so figures do
// not depend on where the scheduler puts them; each result's label reports
// the CPUs used. With fewer than two CPUs, or PARLAB_BENCH_PIN=0, nothing is
// pinned, and spin then measures time slices rather than the ring.
//
//   ring_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// reports the median round trip per policy;
//   ring_bench --benchmark_filter=after_streaming --benchmark_repetitions=5
// what a raw round trip pays after its peer streamed 8 MiB (vs 0).

#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "shared/clock.h"
#include "shared/platform/affinity.h"
#include "shared/platform/child_process.h"
#include "shared/platform/cpu.h"
#include "shared/platform/futex.h"
#include "shared/shm/layout.h"
#include "shared/shm/ring.h"
#include "shared/shm/segment.h"

namespace parlab {
namespace {

constexpr size_t kFrameBytes = 64;  // about a TaskSpec that carries offsets, not data
constexpr uint64_t kRingCapacity = 64 * 1024;
// A peer that vanished must not leave the other spinning for ever.
constexpr int64_t kPeerTimeoutNs = 60'000'000'000;

struct Cpus {
  int parent = -1;
  int child = -1;
};

// The first two allowed CPUs, or none when there are fewer than two or
// PARLAB_BENCH_PIN=0. Chosen once, before the first run pins this process.
// On a machine that other work oversubscribes, pinning makes a woken side
// wait for its own CPU rather than take an idle one (measured: block round
// trip ~18 us unpinned vs ~320 us pinned at load average 9 on 2 vCPUs).
Cpus ChooseCpus() {
  static const Cpus cpus = [] {
    const char* pin = std::getenv("PARLAB_BENCH_PIN");
    if (pin != nullptr && std::string(pin) == "0") return Cpus{};
    Result<std::vector<int>> allowed = AllowedCpus();
    if (!allowed.ok() || allowed->size() < 2) return Cpus{};
    return Cpus{(*allowed)[0], (*allowed)[1]};
  }();
  return cpus;
}

void ReportCpus(benchmark::State& state, const Cpus& cpus) {
  state.SetLabel(cpus.parent < 0
                     ? "unpinned"
                     : "cpus " + std::to_string(cpus.parent) + "/" + std::to_string(cpus.child));
}

// Waits for the child and turns a bad exit into a benchmark error.
void Reap(benchmark::State& state, ChildProcess& child) {
  if (!child.Wait().success()) state.SkipWithError("echo child failed");
}

[[noreturn]] void RingEchoChild(const std::string& name, WaitPolicy policy, int cpu) {
  if (cpu >= 0 && !PinToCpu(cpu).ok()) _exit(2);
  Result<Segment> segment = Segment::Open(name);
  if (!segment.ok()) _exit(3);
  Result<SegmentView> view = SegmentView::Attach(segment->data(), segment->size());
  if (!view.ok()) _exit(4);
  Result<Ring> requests = view->AttachRequestRing(0);
  Result<Ring> responses = view->AttachResponseRing(0);
  if (!requests.ok() || !responses.ok()) _exit(5);
  for (;;) {
    Result<FrameView> frame = requests->PeekWait(policy, kPeerTimeoutNs);
    if (!frame.ok()) _exit(frame.status().code() == StatusCode::kUnavailable ? 0 : 6);
    if (!responses->PushWait(frame->data, frame->size, policy, kPeerTimeoutNs).ok()) _exit(7);
    requests->Consume();
  }
}

void BM_RingRoundTrip(benchmark::State& state, WaitPolicy policy) {
  const Cpus cpus = ChooseCpus();
  Result<Layout> layout = PlanLayout({1, kRingCapacity, 0});
  Result<Segment> segment = Segment::Create(Segment::MakeName(), layout->header.total_bytes);
  if (!segment.ok()) return state.SkipWithError(segment.status().ToString().c_str());
  Result<SegmentView> view = SegmentView::Format(segment->data(), segment->size(), *layout);
  if (!view.ok()) return state.SkipWithError(view.status().ToString().c_str());

  Result<ChildProcess> child =
      ChildProcess::Fork([&]() -> int { RingEchoChild(segment->name(), policy, cpus.child); });
  if (!child.ok()) return state.SkipWithError(child.status().ToString().c_str());
  if (cpus.parent >= 0) static_cast<void>(PinToCpu(cpus.parent));

  Result<Ring> requests = view->AttachRequestRing(0);
  Result<Ring> responses = view->AttachResponseRing(0);
  unsigned char frame[kFrameBytes] = {};
  for (auto _ : state) {
    if (!requests->PushWait(frame, sizeof(frame), policy, kPeerTimeoutNs).ok()) {
      state.SkipWithError("push failed");
      break;
    }
    Result<FrameView> echo = responses->PeekWait(policy, kPeerTimeoutNs);
    if (!echo.ok()) {
      state.SkipWithError(echo.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(echo->data[0]);
    responses->Consume();
  }
  view->CloseAllRings();  // the child's PeekWait returns kUnavailable: it exits 0
  Reap(state, *child);
  ReportCpus(state, cpus);
}

// The reference: one shared word, 1 = the child's turn, 0 = the parent's,
// 2 = stop. Every hand-over is a FUTEX_WAKE and every wait a FUTEX_WAIT —
// what kBlock costs when both sides always sleep.
void BM_RawFutexRoundTrip(benchmark::State& state) {
  const Cpus cpus = ChooseCpus();
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return state.SkipWithError("mmap failed");
  auto* turn = new (page) std::atomic<uint32_t>(0);

  Result<ChildProcess> child = ChildProcess::Fork([&]() -> int {
    if (cpus.child >= 0 && !PinToCpu(cpus.child).ok()) return 2;
    for (;;) {
      uint32_t t;
      while ((t = turn->load(std::memory_order_acquire)) == 0) FutexWait(turn, 0, kPeerTimeoutNs);
      if (t == 2) return 0;
      turn->store(0, std::memory_order_release);
      FutexWake(turn, 1);
    }
  });
  if (!child.ok()) return state.SkipWithError(child.status().ToString().c_str());
  if (cpus.parent >= 0) static_cast<void>(PinToCpu(cpus.parent));
  for (auto _ : state) {
    turn->store(1, std::memory_order_release);
    FutexWake(turn, 1);
    while (turn->load(std::memory_order_acquire) == 1) FutexWait(turn, 1, kPeerTimeoutNs);
  }
  turn->store(2, std::memory_order_release);
  FutexWake(turn, 1);
  Reap(state, *child);
  munmap(page, 4096);
  ReportCpus(state, cpus);
}

// The spin reference, as coordinator/bench/ipc_references.cc measures it: a
// counter word each way, each on its own cache line; the child echoes the
// parent's count. Two cache-line hand-overs a round trip — the floor for any
// shared-memory queue between two cores.
void BM_RawSpinRoundTrip(benchmark::State& state) {
  const Cpus cpus = ChooseCpus();
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return state.SkipWithError("mmap failed");
  auto* ping = new (page) std::atomic<uint64_t>(0);
  auto* pong = new (static_cast<std::byte*>(page) + 64) std::atomic<uint64_t>(0);
  constexpr uint64_t kStop = UINT64_MAX;

  Result<ChildProcess> child = ChildProcess::Fork([&]() -> int {
    if (cpus.child >= 0 && !PinToCpu(cpus.child).ok()) return 2;
    for (uint64_t i = 1;; ++i) {
      uint64_t seen = 0;
      while ((seen = ping->load(std::memory_order_acquire)) == i - 1) CpuRelax();
      if (seen == kStop) return 0;
      pong->store(i, std::memory_order_release);  // pairs with the parent's acquire
    }
  });
  if (!child.ok()) return state.SkipWithError(child.status().ToString().c_str());
  if (cpus.parent >= 0) static_cast<void>(PinToCpu(cpus.parent));
  uint64_t i = 0;
  for (auto _ : state) {
    ping->store(++i, std::memory_order_release);  // pairs with the child's acquire
    while (pong->load(std::memory_order_acquire) != i) CpuRelax();
  }
  ping->store(kStop, std::memory_order_release);
  Reap(state, *child);
  munmap(page, 4096);
  ReportCpus(state, cpus);
}

// The spin reference again, but the child streams `KiB` of its own memory
// between taking the ping and answering it, as a worker's kernel streams its
// payload (`run sum --n 1024`: 8 MiB) between taking a task and answering.
// Timed by hand: the round trip less the child's streaming, which the child
// stamps into the pong's line. What this adds at 8192 KiB over 0 is what
// evicted cache lines and TLB entries cost a round trip that carries no
// payload at all: the floor for parlab's payload-size cost (issue 13).
void BM_RawSpinRoundTripAfterStreaming(benchmark::State& state) {
  const Cpus cpus = ChooseCpus();
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return state.SkipWithError("mmap failed");
  auto* ping = new (page) std::atomic<uint64_t>(0);
  auto* pong = new (static_cast<std::byte*>(page) + 64) std::atomic<uint64_t>(0);
  auto* streamed_ns = new (static_cast<std::byte*>(page) + 72) std::atomic<int64_t>(0);
  constexpr uint64_t kStop = UINT64_MAX;
  const auto doubles = static_cast<size_t>(state.range(0)) * 1024 / sizeof(double);

  Result<ChildProcess> child = ChildProcess::Fork([&]() -> int {
    if (cpus.child >= 0 && !PinToCpu(cpus.child).ok()) return 2;
    std::vector<double> payload(std::max<size_t>(doubles, 1), 1.0);
    for (uint64_t i = 1;; ++i) {
      uint64_t seen = 0;
      while ((seen = ping->load(std::memory_order_acquire)) == i - 1) CpuRelax();
      if (seen == kStop) return 0;
      const int64_t start_ns = NowNs();
      double sum = 0;
      for (size_t k = 0; k < doubles; ++k) sum += payload[k];  // the kernel
      benchmark::DoNotOptimize(sum);
      streamed_ns->store(NowNs() - start_ns, std::memory_order_relaxed);
      pong->store(i, std::memory_order_release);  // pairs with the parent's acquire
    }
  });
  if (!child.ok()) return state.SkipWithError(child.status().ToString().c_str());
  if (cpus.parent >= 0) static_cast<void>(PinToCpu(cpus.parent));
  uint64_t i = 0;
  std::vector<int64_t> samples_ns;
  samples_ns.reserve(static_cast<size_t>(state.max_iterations));
  for (auto _ : state) {
    const int64_t start_ns = NowNs();
    ping->store(++i, std::memory_order_release);  // pairs with the child's acquire
    while (pong->load(std::memory_order_acquire) != i) CpuRelax();
    const int64_t round_trip_ns = NowNs() - start_ns;
    const int64_t streaming_ns = streamed_ns->load(std::memory_order_relaxed);
    samples_ns.push_back(round_trip_ns - streaming_ns);
    state.SetIterationTime(static_cast<double>(round_trip_ns - streaming_ns) * 1e-9);
  }
  ping->store(kStop, std::memory_order_release);
  // The mean (Time) takes every preemption of a ~1 ms iteration on a shared
  // machine; the median is the round trip's own cost.
  if (!samples_ns.empty()) {
    std::nth_element(samples_ns.begin(), samples_ns.begin() + samples_ns.size() / 2,
                     samples_ns.end());
    state.counters["median_ns"] = static_cast<double>(samples_ns[samples_ns.size() / 2]);
  }
  Reap(state, *child);
  munmap(page, 4096);
  ReportCpus(state, cpus);
}

BENCHMARK_CAPTURE(BM_RingRoundTrip, spin, WaitPolicy::kSpin)->UseRealTime();
BENCHMARK_CAPTURE(BM_RingRoundTrip, adaptive, WaitPolicy::kAdaptive)->UseRealTime();
BENCHMARK_CAPTURE(BM_RingRoundTrip, block, WaitPolicy::kBlock)->UseRealTime();
BENCHMARK(BM_RawFutexRoundTrip)->UseRealTime();
BENCHMARK(BM_RawSpinRoundTrip)->UseRealTime();
BENCHMARK(BM_RawSpinRoundTripAfterStreaming)
    ->Name("raw_spin_round_trip_after_streaming")
    ->Arg(0)
    ->Arg(1024)
    ->Arg(8192)
    ->Iterations(2000)  // the hand-timed part is ~1 µs of each ~1 ms iteration
    ->UseManualTime();

}  // namespace
}  // namespace parlab

BENCHMARK_MAIN();
