#include "shared/shm/doorbell.h"

#include "shared/platform/futex.h"

namespace parlab {

void Doorbell::Ring() {
  std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the fence in Prepare()
  if (sleeping.load(std::memory_order_relaxed) != 0) {
    seq.fetch_add(1, std::memory_order_release);
    FutexWake(&seq, 1);
  }
}

uint32_t Doorbell::Prepare() {
  const uint32_t seen = seq.load(std::memory_order_acquire);
  sleeping.store(1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the fence in Ring()
  return seen;
}

void Doorbell::Wait(uint32_t seen, int64_t timeout_ns) {
  FutexWait(&seq, seen, timeout_ns);
  sleeping.store(0, std::memory_order_relaxed);
}

}  // namespace parlab
