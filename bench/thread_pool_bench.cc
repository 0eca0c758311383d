// The threads mode's hand-over, piece by piece and whole:
//   BM_ThreadsTrial     a whole trial of noop tasks through ThreadPoolMode
//                       (threads claim, stamp, record): real time per task,
//                       the figure issue 13 holds against TBB's task_group
//                       (~250 ns) and OpenMP's dynamic schedule (~20 ns);
//   BM_Claim            one TaskClaims::Claim, by 1 or 2 threads at once;
//   BM_EventPingPong    two threads taking turns through EventCount, per
//                       wait decision: what a wake-up between trials costs;
//   BM_CondvarPingPong  the same through a mutex and a condition variable,
//                       which the threads mode paid for every task before.
//
//   thread_pool_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The per_task counter of BM_ThreadsTrial is seconds per task (shown in ns).

#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "coordinator/runtime/event_count.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/task_claims.h"
#include "coordinator/runtime/thread_pool_mode.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

constexpr int64_t kTrialTasks = 20'000;

// Args: threads, chunk, wait (0 spin, 1 block, 2 adaptive).
void BM_ThreadsTrial(benchmark::State& state) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_mode(pb::THREADS);
  job.set_workers(static_cast<int>(state.range(0)));
  job.set_chunk(static_cast<int>(state.range(1)));
  const pb::WaitPolicy waits[] = {pb::SPIN, pb::BLOCK, pb::ADAPTIVE};
  job.set_wait(waits[state.range(2)]);
  job.set_tasks(kTrialTasks);
  ThreadPoolMode mode(job, false);
  if (!mode.Start().ok()) {
    state.SkipWithError("the threads mode did not start");
    return;
  }
  uint64_t first_id = 0;
  for (auto _ : state) {
    Result<TrialRun> run = mode.RunTrial(0, first_id);
    if (!run.ok()) {
      state.SkipWithError("a trial failed");
      break;
    }
    benchmark::DoNotOptimize(run->records.data());
    first_id += kTrialTasks;
  }
  mode.Stop();
  const auto tasks = static_cast<double>(state.iterations() * kTrialTasks);
  state.SetItemsProcessed(state.iterations() * kTrialTasks);
  state.counters["per_task"] =
      benchmark::Counter(tasks, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ThreadsTrial)
    ->ArgNames({"threads", "chunk", "wait"})
    ->Args({1, 1, 2})
    ->Args({2, 1, 2})
    ->Args({2, 1, 0})
    ->Args({2, 16, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

TaskClaims& SharedClaims() {
  static TaskClaims* claims = [] {
    auto* made = new TaskClaims;
    made->Reset(UINT64_MAX / 2);  // never runs dry within a benchmark
    return made;
  }();
  return *claims;
}

void BM_Claim(benchmark::State& state) {
  TaskClaims& claims = SharedClaims();
  for (auto _ : state) benchmark::DoNotOptimize(claims.Claim(1));
}
BENCHMARK(BM_Claim)->Threads(1)->Threads(2)->UseRealTime();

// Arg: 0 spin, 1 yield, 2 sleep (the WaitChoice the waiters use).
void BM_EventPingPong(benchmark::State& state) {
  WaitDecision decision;
  decision.choice = static_cast<WaitChoice>(state.range(0));
  decision.spin_ns = decision.choice == WaitChoice::kSleep ? 0 : INT64_MAX;
  EventCount ping, pong;
  std::atomic<uint64_t> pings{0}, pongs{0};
  std::atomic<bool> done{false};
  std::thread echo([&] {
    uint64_t seen = 0;
    for (;;) {
      const uint32_t key = ping.Key();
      const uint64_t now = pings.load(std::memory_order_acquire);
      if (now == seen) {
        if (done.load(std::memory_order_acquire)) return;
        ping.Wait(key, decision);
        continue;
      }
      seen = now;
      pongs.store(seen, std::memory_order_release);
      pong.Notify();
    }
  });
  uint64_t sent = 0;
  for (auto _ : state) {
    pings.store(++sent, std::memory_order_release);
    ping.Notify();
    for (;;) {
      const uint32_t key = pong.Key();
      if (pongs.load(std::memory_order_acquire) == sent) break;
      pong.Wait(key, decision);
    }
  }
  done.store(true, std::memory_order_release);
  ping.Notify();
  echo.join();
  state.SetLabel(WaitChoiceName(decision.choice));
}
BENCHMARK(BM_EventPingPong)->Arg(0)->Arg(1)->Arg(2)->UseRealTime();

void BM_CondvarPingPong(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable changed;
  uint64_t pings = 0, pongs = 0;
  bool done = false;
  std::thread echo([&] {
    std::unique_lock<std::mutex> lock(mutex);
    for (uint64_t seen = 0;;) {
      changed.wait(lock, [&] { return done || pings != seen; });
      if (done) return;
      seen = pongs = pings;
      changed.notify_all();
    }
  });
  for (auto _ : state) {
    std::unique_lock<std::mutex> lock(mutex);
    const uint64_t sent = ++pings;
    changed.notify_all();
    changed.wait(lock, [&] { return pongs == sent; });
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  changed.notify_all();
  echo.join();
}
BENCHMARK(BM_CondvarPingPong)->UseRealTime();

}  // namespace
}  // namespace parlab

BENCHMARK_MAIN();
