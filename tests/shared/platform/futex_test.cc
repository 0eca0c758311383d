#include "shared/platform/futex.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <new>
#include <thread>

#include "shared/clock.h"

namespace parlab {
namespace {

TEST(FutexTest, WaitReturnsAtOnceWhenValueDiffers) {
  std::atomic<uint32_t> word{7};
  EXPECT_EQ(FutexWait(&word, 6, -1), FutexWaitResult::kValueChanged);
}

TEST(FutexTest, WaitTimesOut) {
  std::atomic<uint32_t> word{0};
  EXPECT_EQ(FutexWait(&word, 0, 1'000'000), FutexWaitResult::kTimedOut);
  EXPECT_EQ(FutexWait(&word, 0, 0), FutexWaitResult::kTimedOut);
}

TEST(FutexTest, WakeWithoutWaitersWakesNobody) {
  std::atomic<uint32_t> word{0};
  EXPECT_EQ(FutexWake(&word, 1), 0);
}

TEST(FutexTest, WakesAWaitingThread) {
  std::atomic<uint32_t> word{0};
  std::thread waiter([&] {
    // Loops because a wake-up may be spurious; the condition is the value.
    while (word.load() == 0) FutexWait(&word, 0, -1);
  });
  // Store then wake: a waiter already asleep is woken, one not yet asleep
  // finds the value changed and never sleeps. Either way it cannot hang.
  word.store(1);
  FutexWake(&word, 1);
  waiter.join();
  EXPECT_EQ(word.load(), 1u);
}

// A shared (non-private) futex: the parent's FutexWake reaches a child that
// sleeps on the same physical page. With FUTEX_PRIVATE_FLAG this would never
// report a woken waiter, and the parent would give up at the deadline.
TEST(FutexTest, WakesAnotherProcess) {
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(page, MAP_FAILED);
  auto* word = new (page) std::atomic<uint32_t>(0);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: sleep once with a generous limit; exit 0 only if woken.
    const FutexWaitResult r = FutexWait(word, 0, 20'000'000'000);
    _exit(r == FutexWaitResult::kWoken ? 0 : 10 + static_cast<int>(r));
  }
  const int64_t deadline_ns = NowNs() + 20'000'000'000;
  int woken = 0;
  while (woken == 0 && NowNs() < deadline_ns) {
    woken = FutexWake(word, 1);  // 0 until the child is asleep in the kernel
    if (woken == 0) sched_yield();
  }
  EXPECT_EQ(woken, 1) << "the child never slept on the shared futex";
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  munmap(page, 4096);
}

TEST(FutexTest, ResultNames) {
  EXPECT_STREQ(FutexWaitResultName(FutexWaitResult::kTimedOut), "timed out");
}

}  // namespace
}  // namespace parlab
