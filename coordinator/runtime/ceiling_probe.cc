#include "coordinator/runtime/ceiling_probe.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "coordinator/report/env_report.h"
#include "shared/clock.h"
#include "shared/kernels/loop.h"

namespace parlab {
namespace {

// Keeps the loop's result alive, so the compiler cannot drop the work.
std::atomic<uint64_t> g_sink{0};

double LoopSeconds(int64_t n) {
  const int64_t start_ns = NowNs();
  g_sink.fetch_add(LoopTotal(static_cast<uint64_t>(n), KernelContext{}), std::memory_order_relaxed);
  return static_cast<double>(NowNs() - start_ns) * 1e-9;
}

// `cores` loops of n on as many threads, released together: seconds from the
// release until the last one ended.
double TogetherSeconds(int cores, int64_t n) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(cores));
  for (int i = 0; i < cores; ++i) {
    threads.emplace_back([&] {
      ready.fetch_add(1, std::memory_order_acq_rel);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      g_sink.fetch_add(LoopTotal(static_cast<uint64_t>(n), KernelContext{}),
                       std::memory_order_relaxed);
    });
  }
  while (ready.load(std::memory_order_acquire) < cores) std::this_thread::yield();
  const int64_t start_ns = NowNs();
  go.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();
  return static_cast<double>(NowNs() - start_ns) * 1e-9;
}

}  // namespace

Result<CeilingProbe> CeilingProbe::Make(const CeilingOptions& options) {
  const int cores = options.cores > 0 ? options.cores : UsableCores();
  if (cores > 1024) return InvalidArgument("ceiling: cores must be 1..1024");
  if (!(options.loop_s > 0 && options.loop_s <= 10)) {
    return InvalidArgument("ceiling: loop_s must be in (0, 10]");
  }
  if (options.repeats < 1 || options.repeats > 100) {
    return InvalidArgument("ceiling: repeats must be 1..100");
  }
  // Doubles n until one loop lasts a tenth of the target, then scales: the
  // loop's time is linear in n (one multiply-add an iteration).
  int64_t n = 1 << 16;
  double seconds = LoopSeconds(n);
  while (seconds < options.loop_s / 10 && n < (int64_t{1} << 40)) {
    n *= 2;
    seconds = LoopSeconds(n);
  }
  const double scale = options.loop_s / std::max(seconds, 1e-9);
  n = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(n) * scale));
  return CeilingProbe(cores, options.repeats, n);
}

pb::CeilingProbe CeilingProbe::Probe(const std::string& when) const {
  double one_s = LoopSeconds(loop_n_);
  for (int i = 1; i < repeats_; ++i) one_s = std::min(one_s, LoopSeconds(loop_n_));
  double all_s = TogetherSeconds(cores_, loop_n_);
  for (int i = 1; i < repeats_; ++i) all_s = std::min(all_s, TogetherSeconds(cores_, loop_n_));
  pb::CeilingProbe probe;
  probe.set_when(when);
  probe.set_cores(cores_);
  probe.set_loop_n(loop_n_);
  probe.set_one_s(one_s);
  probe.set_all_s(all_s);
  probe.set_ceiling(all_s > 0 ? cores_ * one_s / all_s : 0);
  return probe;
}

}  // namespace parlab
