#include "shared/shm/doorbell.h"

#include <climits>

#include "shared/platform/futex.h"

namespace parlab {

void Doorbell::Ring() {
  std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the fence in Prepare()
  if (sleeping.load(std::memory_order_relaxed) != 0) {
    seq.fetch_add(1, std::memory_order_release);
    FutexWake(&seq, INT_MAX);  // every sleeper: each looks at its own rings
  }
}

uint32_t Doorbell::Prepare() {
  const uint32_t seen = seq.load(std::memory_order_acquire);
  sleeping.fetch_add(1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the fence in Ring()
  return seen;
}

void Doorbell::Wait(uint32_t seen, int64_t timeout_ns) {
  FutexWait(&seq, seen, timeout_ns);
  sleeping.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace parlab
