// The NTP rule of shared/mpi/mpi_clock.h on made-up exchanges: the shortest
// round trip wins, and the true offset lies within offset ± bound.
#include "shared/mpi/mpi_clock.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace parlab {
namespace {

TEST(MpiClockTest, ShortestRoundTripGivesTheEstimate) {
  // The worker's clock is 1000 ns ahead; answers are read at various points.
  const ClockSample samples[] = {
      {0, 1000 + 80, 100},     // rtt 100
      {200, 1000 + 230, 240},  // rtt 40: the best
      {300, 1000 + 310, 500},  // rtt 200
  };
  const pb::ClockEstimate estimate = EstimateFrom(samples, 3);
  EXPECT_EQ(estimate.round_trip_ns(), 40);
  EXPECT_EQ(estimate.bound_ns(), 20);
  EXPECT_EQ(estimate.offset_ns(), 1000 + 230 - 220);
  EXPECT_LE(std::llabs(estimate.offset_ns() - 1000), estimate.bound_ns());
  EXPECT_EQ(estimate.exchanges(), 3);
}

TEST(MpiClockTest, OneClockLiesWithinTheBoundWhereverTheAnswerWasRead) {
  // Same clock (true offset 0): the answer may be stamped anywhere in
  // [t0, t2], odd round trips included.
  for (int64_t rtt : {1, 2, 3, 7, 1000, 1001}) {
    for (int64_t at = 0; at <= rtt; ++at) {
      const ClockSample sample = {5000, 5000 + at, 5000 + rtt};
      const pb::ClockEstimate estimate = EstimateFrom(&sample, 1);
      EXPECT_LE(std::llabs(estimate.offset_ns()), estimate.bound_ns())
          << "rtt " << rtt << ", read at +" << at;
    }
  }
}

TEST(MpiClockTest, NegativeRoundTripsAreIgnored) {
  const ClockSample samples[] = {{100, 50, 90}, {0, 10, 20}};
  const pb::ClockEstimate estimate = EstimateFrom(samples, 2);
  EXPECT_EQ(estimate.round_trip_ns(), 20);
}

}  // namespace
}  // namespace parlab
