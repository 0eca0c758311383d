#pragma once
// TaskClaims: the threads mode's queue. A trial's tasks are the slots
// 0..tasks-1 of one shared counter; each thread claims the next `chunk` of
// them with one fetch_add, runs them, and comes back for more, so no thread
// hands tasks to another and nothing is locked (the dynamic schedule of
// OpenMP's `schedule(dynamic, chunk)`, and the self-scheduling of
// Polychronopoulos & Kuck's guided/chunked loops, 1987).
//
// Protocol: Reset() is called by one thread while no thread claims (between
// trials); the caller then publishes the reset with a release operation
// that the claimers acquire before their first Claim (the threads mode's
// trial generation). Claim() is safe from any number of threads at once:
//   C1 next_.fetch_add(chunk, relaxed) hands out disjoint ranges; relaxed is
//      enough because the counter carries no other data: what a task needs
//      was published with the reset, and what it produces is published by
//      the claimer itself (the mode's `left_` counter, release).
// Each slot below tasks is claimed exactly once: the fetch_adds form one
// modification order, so their ranges [old, old+chunk) are disjoint and
// cover 0..tasks-1 without a gap. The counter runs past tasks by at most
// one chunk per failing claim; 64 bits never wrap in a trial.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>

namespace parlab {

class TaskClaims {
 public:
  struct Range {
    uint64_t begin = 0;  // the first slot
    uint64_t end = 0;    // one past the last; end > begin
  };

  // Opens slots 0..tasks-1 for claiming. Not concurrent with Claim().
  void Reset(uint64_t tasks) {
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
  }

  // The next up to `chunk` (>= 1) unclaimed slots; nullopt when none is left.
  std::optional<Range> Claim(uint64_t chunk) {
    const uint64_t begin = next_.fetch_add(chunk, std::memory_order_relaxed);  // C1
    if (begin >= tasks_) return std::nullopt;
    return Range{begin, std::min(begin + chunk, tasks_)};
  }

  // How many slots were handed out so far (what the progress line shows
  // while a trial runs); from the thread that called Reset.
  uint64_t claimed() const { return std::min(next_.load(std::memory_order_relaxed), tasks_); }

 private:
  uint64_t tasks_ = 0;  // written by Reset only, read by claimers after its publication
  // On a line of its own: every claim writes it, and nothing else should move with it.
  alignas(64) std::atomic<uint64_t> next_{0};
  char pad_[64 - sizeof(std::atomic<uint64_t>)] = {};
};

}  // namespace parlab
