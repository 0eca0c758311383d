#pragma once
// How far a worker's clock is from the coordinator's, measured as NTP does:
// the coordinator stamps t0, pings the worker, the worker answers with its
// clock t1, the coordinator stamps t2 on the answer. If the answer was read
// at any moment between t0 and t2, worker − coordinator lies within
// t1 − (t0 + t2) / 2 ± (t2 − t0) / 2; of several exchanges the one with the
// shortest round trip gives the tightest bound. On one host (one
// CLOCK_MONOTONIC) the true offset is 0, so |offset| <= bound always holds —
// what the mpi tests check.
//
// Both sides call from their MPI thread; the worker answers pings from its
// main loop (AnswerPing), so the exchange measures its loop's latency too.

#include <cstdint>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

// One exchange as the coordinator saw it.
struct ClockSample {
  int64_t sent_ns = 0;      // t0, coordinator
  int64_t worker_ns = 0;    // t1, worker
  int64_t received_ns = 0;  // t2, coordinator
};

// The estimate from the best (shortest) of `samples`. Pure.
pb::ClockEstimate EstimateFrom(const ClockSample* samples, int count);

// Runs `count` ping exchanges with `rank`, one after the other: MPI_Send of
// an empty message, MPI_Recv of 8 bytes — MPI's plain ping-pong, which is
// also what `bench ipc` reports as Open MPI's own round trip. Waits at most
// timeout_ns for any one answer.
Result<std::vector<ClockSample>> ExchangePings(int rank, int count, int64_t timeout_ns);

// Runs `exchanges` ping exchanges with `rank` and returns the estimate.
// Precondition: the rank answers pings (its worker loop runs). Waits at most
// timeout_ns for any one answer.
Result<pb::ClockEstimate> MeasureClock(int rank, int exchanges, int64_t timeout_ns);

// Worker side: answers the ping from `source` that its posted receive took
// (an empty message of kMpiTagPing) with this process's clock.
Status AnswerPing(int source);

}  // namespace parlab
