#include "shared/phases.h"

#include <algorithm>
#include <numeric>

namespace parlab {

void PhaseSamples::Add(const TaskPhases& p) {
  encode.push_back(static_cast<double>(p.encode_ns));
  queue.push_back(static_cast<double>(p.queue_ns));
  wake.push_back(static_cast<double>(p.wake_ns));
  decode.push_back(static_cast<double>(p.decode_ns));
  compute.push_back(static_cast<double>(p.compute_ns));
  ret.push_back(static_cast<double>(p.return_ns));
  overhead.push_back(static_cast<double>(p.overhead_ns()));
}

std::vector<TaskPhases> SplitPhases(const std::vector<TaskRecord>& records) {
  std::vector<TaskPhases> phases(records.size());
  // Visit records per worker in dequeue order to know when each worker became free.
  std::vector<size_t> order(records.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const TaskRecord& ra = records[a];
    const TaskRecord& rb = records[b];
    if (ra.worker != rb.worker) return ra.worker < rb.worker;
    if (ra.trial != rb.trial) return ra.trial < rb.trial;
    return ra.t.dequeued_ns < rb.t.dequeued_ns;
  });
  const TaskRecord* previous = nullptr;
  for (size_t index : order) {
    const TaskRecord& r = records[index];
    const TaskStamps& t = r.t;
    const bool same_run =
        previous != nullptr && previous->worker == r.worker && previous->trial == r.trial;
    int64_t ready_ns = t.enqueued_ns;
    if (same_run) {
      const TaskStamps& before = previous->t;
      ready_ns = std::max(ready_ns, before.result_enqueued_ns);
      // Queued before its worker began to answer the task before (--inflight,
      // chunks), it waits behind that answer until the coordinator takes it:
      // that span is the earlier task's return phase. Counted as this one's
      // wake-up too, every pipelined task's overhead held its neighbour's
      // answer (2x after an 8 MB kernel cooled the caches). In threads,
      // where nothing travels back (taken = result_enqueued), this changes
      // nothing: the span after it is the claim.
      if (t.enqueued_ns <= before.result_enqueued_ns) {
        ready_ns = std::max(ready_ns, before.result_dequeued_ns);
      }
    }
    ready_ns = std::min(ready_ns, t.dequeued_ns);  // clock reads across cores may tie
    TaskPhases& p = phases[index];
    p.encode_ns = t.enqueued_ns - t.submit_ns;
    p.queue_ns = ready_ns - t.enqueued_ns;
    p.wake_ns = t.dequeued_ns - ready_ns;
    p.decode_ns = t.decoded_ns - t.dequeued_ns;
    p.compute_ns = t.compute_end_ns - t.compute_start_ns;
    // Anything between decode and compute start (binding views) counts as decode.
    p.decode_ns += t.compute_start_ns - t.decoded_ns;
    p.return_ns = t.result_dequeued_ns - t.compute_end_ns;
    previous = &r;
  }
  return phases;
}

CommandPhases SplitCommandPhases(const TaskRecord& r) {
  CommandPhases p;
  const TaskStamps& t = r.t;
  if (t.spawn_ns == 0) return p;
  // A stamp not taken (a program that never started has no exit) counts as
  // the one before it, so its phase measures 0.
  const int64_t spawned = std::max(t.spawned_ns, t.spawn_ns);
  const int64_t exited = std::max(t.exited_ns, spawned);
  const int64_t end = std::max(t.compute_end_ns, exited);
  p.spawn_ns = std::max<int64_t>(0, t.spawn_ns - t.compute_start_ns);
  p.exec_ns = spawned - t.spawn_ns;
  p.run_ns = exited - spawned;
  p.exit_ns = end - exited;
  p.collection_ns = std::max<int64_t>(0, t.collected_ns - end);
  return p;
}

}  // namespace parlab
