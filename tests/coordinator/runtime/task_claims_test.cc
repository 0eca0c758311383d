// The threads mode's queue: every slot of a trial is claimed exactly once,
// by one thread or by many at once, in chunks, trial after trial. No timings.
#include "coordinator/runtime/task_claims.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace parlab {
namespace {

TEST(TaskClaimsTest, HandsOutChunksInOrderAndALastPartialOne) {
  TaskClaims claims;
  claims.Reset(10);
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  while (std::optional<TaskClaims::Range> range = claims.Claim(4)) {
    ranges.emplace_back(range->begin, range->end);
  }
  const std::vector<std::pair<uint64_t, uint64_t>> expected = {{0, 4}, {4, 8}, {8, 10}};
  EXPECT_EQ(ranges, expected);
  EXPECT_FALSE(claims.Claim(1).has_value());  // stays empty
}

TEST(TaskClaimsTest, ResetReopensAndAnEmptyTrialHasNothing) {
  TaskClaims claims;
  claims.Reset(0);
  EXPECT_FALSE(claims.Claim(1).has_value());
  claims.Reset(2);
  ASSERT_TRUE(claims.Claim(1).has_value());
  ASSERT_TRUE(claims.Claim(1).has_value());
  EXPECT_FALSE(claims.Claim(1).has_value());
  claims.Reset(1);
  std::optional<TaskClaims::Range> range = claims.Claim(5);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->begin, 0u);
  EXPECT_EQ(range->end, 1u);
}

// Many threads claim at once; each slot's counter must end at exactly one.
// Under ThreadSanitizer this is also the race check of Claim.
TEST(TaskClaimsTest, EverySlotExactlyOnceUnderContention) {
  constexpr int kThreads = 4;
  constexpr uint64_t kTasks = 100'000;
  // Rounds enough that the threads overlap even where a busy machine runs
  // one of them at a time for a whole scheduler slice.
  constexpr int kRounds = 12;
  TaskClaims claims;
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t chunk = round % 3 == 0 ? 1 : round % 3 == 1 ? 3 : 64;
    SCOPED_TRACE("round " + std::to_string(round) + ", chunk " + std::to_string(chunk));
    auto seen = std::make_unique<std::atomic<uint32_t>[]>(kTasks);
    claims.Reset(kTasks);  // published to the threads by their start
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        // All at once, so the claims really overlap.
        ready.fetch_add(1, std::memory_order_acq_rel);
        while (ready.load(std::memory_order_acquire) < kThreads) std::this_thread::yield();
        while (std::optional<TaskClaims::Range> range = claims.Claim(chunk)) {
          EXPECT_LT(range->begin, range->end);
          EXPECT_LE(range->end, kTasks);
          for (uint64_t slot = range->begin; slot < range->end; ++slot) {
            seen[slot].fetch_add(1, std::memory_order_relaxed);  // no more work: claims collide
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    uint64_t wrong = 0;
    for (uint64_t slot = 0; slot < kTasks; ++slot) {
      if (seen[slot].load(std::memory_order_relaxed) != 1) ++wrong;
    }
    EXPECT_EQ(wrong, 0u);
  }
}

}  // namespace
}  // namespace parlab
