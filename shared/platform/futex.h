#pragma once
// Futex wait/wake on a 32-bit word that may live in memory shared between
// processes. These are *shared* (non-private) futexes: the kernel keys them by
// the physical page, so a waiter in a worker is woken by the coordinator.
// (FUTEX_PRIVATE_FLAG would key them by address space and silently never wake
// the other process.)
//
// Thread- and process-safe: any number of threads in any number of processes
// may wait on and wake the same word. The word must be 4-byte aligned and stay
// mapped for the duration of every call. Linux only.

#include <atomic>
#include <cstdint>

namespace parlab {

// Why FutexWait returned. Every outcome other than kTimedOut may be spurious
// with respect to the caller's real condition: callers always re-check it.
enum class FutexWaitResult {
  kWoken,         // a FutexWake reached us (or a spurious kernel wake-up)
  kValueChanged,  // *word != expected when we tried to sleep (EAGAIN): never slept
  kInterrupted,   // a signal handler ran (EINTR); returned so the caller can look at its flags
  kTimedOut,      // timeout_ns elapsed
};

const char* FutexWaitResultName(FutexWaitResult result);

// Sleeps while *word == expected, for at most timeout_ns (< 0: no limit,
// 0: never sleeps — returns kTimedOut or kValueChanged at once).
// The comparison and the sleep are atomic with respect to FutexWake: a wake
// issued after the word changed cannot be lost.
// Signals are not retried here on purpose: a SIGINT handler that sets a flag
// must get the waiter back to its loop, which checks the flag.
FutexWaitResult FutexWait(std::atomic<uint32_t>* word, uint32_t expected, int64_t timeout_ns);

// Wakes up to `count` waiters on `word` (count >= 1; INT_MAX wakes all).
// Returns how many were woken. Aborts on an impossible kernel error (EFAULT,
// EINVAL), which would be a bug in the caller's pointer.
int FutexWake(std::atomic<uint32_t>* word, int count);

}  // namespace parlab
