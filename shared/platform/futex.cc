#include "shared/platform/futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "shared/check.h"

namespace parlab {

// The kernel compares and sleeps on the raw 32-bit word; std::atomic<uint32_t>
// is that word only if it has no lock and no padding.
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
static_assert(std::atomic<uint32_t>::is_always_lock_free);

namespace {

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* timeout) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, timeout, nullptr, 0);
}

}  // namespace

const char* FutexWaitResultName(FutexWaitResult result) {
  switch (result) {
    case FutexWaitResult::kWoken:
      return "woken";
    case FutexWaitResult::kValueChanged:
      return "value changed";
    case FutexWaitResult::kInterrupted:
      return "interrupted";
    case FutexWaitResult::kTimedOut:
      return "timed out";
  }
  return "unknown";
}

FutexWaitResult FutexWait(std::atomic<uint32_t>* word, uint32_t expected, int64_t timeout_ns) {
  timespec ts{};
  const timespec* timeout = nullptr;
  if (timeout_ns >= 0) {
    // FUTEX_WAIT takes a relative CLOCK_MONOTONIC timeout.
    ts.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000);
    timeout = &ts;
  }
  if (Futex(word, FUTEX_WAIT, expected, timeout) == 0) return FutexWaitResult::kWoken;
  const int err = errno;
  switch (err) {
    case EAGAIN:
      return FutexWaitResult::kValueChanged;
    case EINTR:
      return FutexWaitResult::kInterrupted;
    case ETIMEDOUT:
      return FutexWaitResult::kTimedOut;
    default:
      PARLAB_CHECK(false) << "futex(FUTEX_WAIT) failed: " << std::strerror(err);
  }
  return FutexWaitResult::kWoken;  // not reached
}

int FutexWake(std::atomic<uint32_t>* word, int count) {
  PARLAB_CHECK(count >= 1) << "FutexWake count " << count;
  const long woken = Futex(word, FUTEX_WAKE, static_cast<uint32_t>(count), nullptr);
  PARLAB_CHECK(woken >= 0) << "futex(FUTEX_WAKE) failed: " << std::strerror(errno);
  return static_cast<int>(woken);
}

}  // namespace parlab
