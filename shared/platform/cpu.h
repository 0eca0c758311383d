#pragma once
// CpuRelax(): the body of a spin-wait loop. On x86 it is PAUSE, which tells
// the core this is a spin (saves power, frees the sibling hyper-thread, and
// avoids the memory-order mis-speculation flush when the awaited line
// changes). It never enters the kernel. Thread-safe (no state).
//
// YieldCpu(): the body of a spin-wait loop on an oversubscribed machine:
// sched_yield hands the core to another runnable thread (often the very
// peer being waited for) and returns at once when there is none.

#include <sched.h>

namespace parlab {

inline void YieldCpu() { sched_yield(); }

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#else
  asm volatile("" ::: "memory");
#endif
}

}  // namespace parlab
