#include "shared/clock.h"

#include <gtest/gtest.h>

#include <string>

namespace parlab {
namespace {

TEST(ClockTest, TicksScaleFromTheBaseBothWays) {
  clock_internal::State state;
  state.tsc_base = 1000;
  state.ns_base = 5000;
  state.ns_per_tick_q32 = uint64_t{1} << 31;  // half a nanosecond a tick
  EXPECT_EQ(clock_internal::ScaleTicks(state, 3000), 6000);
  EXPECT_EQ(clock_internal::ScaleTicks(state, 0), 4500);  // a reading before the base
  // Hours of ticks do not overflow the product.
  const int64_t hour_of_ticks = int64_t{3'600} * 4'000'000'000;
  EXPECT_EQ(clock_internal::ScaleTicks(state, 1000 + hour_of_ticks), 5000 + hour_of_ticks / 2);
}

TEST(ClockTest, EncodedClockDecodesToTheSame) {
  StampClock clock;
  clock.tsc = true;
  clock.tsc_base = 123456789012;
  clock.ns_base = -5;
  clock.ns_per_tick_q32 = 1756215296;
  clock.boot_id = "0b7b4c1e-3a2f-4d55-9d61-5f6a1e0c2b7d";
  Result<StampClock> decoded = DecodeStampClock(EncodeStampClock(clock));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->tsc);
  EXPECT_EQ(decoded->tsc_base, clock.tsc_base);
  EXPECT_EQ(decoded->ns_base, clock.ns_base);
  EXPECT_EQ(decoded->ns_per_tick_q32, clock.ns_per_tick_q32);
  EXPECT_EQ(decoded->boot_id, clock.boot_id);
  Result<StampClock> monotonic = DecodeStampClock(EncodeStampClock(StampClock{}));
  ASSERT_TRUE(monotonic.ok());
  EXPECT_FALSE(monotonic->tsc);
}

TEST(ClockTest, MalformedValuesAreRefusedNamingTheVariable) {
  for (const char* bad : {"", "tsc", "tsc:1:2:3", "tsc:1:2:0:boot", "tsc:x:2:3:boot", "rdtsc"}) {
    Result<StampClock> decoded = DecodeStampClock(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_NE(decoded.status().message().find(kStampClockVariable), std::string::npos);
  }
}

// Restores PARLAB_STAMP_CLOCK as the test found it.
class HandedClock {
 public:
  explicit HandedClock(const char* value) {
    if (const char* was = std::getenv(kStampClockVariable)) saved_ = was;
    setenv(kStampClockVariable, value, 1);
  }
  ~HandedClock() {
    if (saved_.empty()) {
      unsetenv(kStampClockVariable);
    } else {
      setenv(kStampClockVariable, saved_.c_str(), 1);
    }
  }

 private:
  std::string saved_;
};

TEST(ClockTest, AClockHandedDownFromThisBootIsAdopted) {
  StampClock mine;
  mine.tsc = true;
  mine.tsc_base = 42;
  mine.ns_base = 7;
  mine.ns_per_tick_q32 = uint64_t{1} << 32;
  mine.boot_id = "this-boot";
  // The boot id is what the process reads; take it from a clock it chose.
  StampClock probe = ChooseStampClock();
  if (!probe.tsc) GTEST_SKIP() << "no TSC stamp clock here: " << probe.Describe();
  mine.boot_id = probe.boot_id;
  HandedClock handed(EncodeStampClock(mine).c_str());
  const StampClock chosen = ChooseStampClock();
  EXPECT_TRUE(chosen.tsc);
  EXPECT_EQ(chosen.tsc_base, 42);
  EXPECT_EQ(chosen.ns_base, 7);
}

TEST(ClockTest, AClockFromAnotherBootOrMalformedIsNotAdopted) {
  {
    HandedClock handed("tsc:42:7:4294967296:another-host");
    const StampClock chosen = ChooseStampClock();
    EXPECT_NE(chosen.boot_id, "another-host");
    EXPECT_FALSE(chosen.tsc && chosen.tsc_base == 42);
  }
  {
    HandedClock handed("tsc:nonsense");
    const StampClock chosen = ChooseStampClock();
    EXPECT_FALSE(chosen.tsc);
    EXPECT_NE(chosen.Describe().find(kStampClockVariable), std::string::npos);
  }
  {
    HandedClock handed("monotonic");
    EXPECT_FALSE(ChooseStampClock().tsc);
  }
}

TEST(ClockTest, BothReadsMoveForwardAndAgreeWithEachOther) {
  int64_t last = NowNs();
  for (int i = 0; i < 1000; ++i) {
    const int64_t unordered = NowNsUnordered();
    const int64_t ordered = NowNs();
    EXPECT_LE(last, ordered);
    EXPECT_LE(unordered, ordered);
    last = ordered;
  }
}

TEST(ClockTest, TheStampClockStaysOnClockMonotonicsAxis) {
  // Not a timing: a stamp lies between two CLOCK_MONOTONIC readings around
  // it, give or take a millisecond (a wrong scale or base is off by seconds;
  // a preemption only widens the bracket).
  const int64_t before = clock_internal::MonotonicNs();
  const int64_t stamp = NowNs();
  const int64_t after = clock_internal::MonotonicNs();
  EXPECT_GE(stamp, before - 1'000'000) << CurrentStampClock().Describe();
  EXPECT_LE(stamp, after + 1'000'000) << CurrentStampClock().Describe();
}

}  // namespace
}  // namespace parlab
