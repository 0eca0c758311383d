#include "shared/mpi/mpi_clock.h"

#include <mpi.h>

#include <algorithm>
#include <limits>
#include <string>

#include "shared/clock.h"
#include "shared/mpi/mpi_world.h"

namespace parlab {
namespace {

// A poll is ~50 ns: the time-out is looked at every ~50 µs.
constexpr uint32_t kPollsPerClockRead = 1024;

}  // namespace

pb::ClockEstimate EstimateFrom(const ClockSample* samples, int count) {
  pb::ClockEstimate estimate;
  int64_t best_round_trip = std::numeric_limits<int64_t>::max();
  for (int i = 0; i < count; ++i) {
    const ClockSample& s = samples[i];
    const int64_t round_trip = s.received_ns - s.sent_ns;
    if (round_trip < 0 || round_trip >= best_round_trip) continue;
    best_round_trip = round_trip;
    // t1 − (t0 + t2) / 2, written so that no sum of two stamps overflows.
    estimate.set_offset_ns(s.worker_ns - s.sent_ns - round_trip / 2);
    // Rounded up: the bound must hold, not nearly hold.
    estimate.set_bound_ns((round_trip + 1) / 2);
    estimate.set_round_trip_ns(round_trip);
  }
  estimate.set_exchanges(count);
  return estimate;
}

Result<std::vector<ClockSample>> ExchangePings(int rank, int count, int64_t timeout_ns) {
  const std::string who = "rank " + std::to_string(rank);
  std::vector<ClockSample> samples(static_cast<size_t>(std::max(1, count)));
  for (ClockSample& s : samples) {
    s.sent_ns = NowNs();
    if (int rc = MPI_Send(nullptr, 0, MPI_BYTE, rank, kMpiTagPing, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("clock ping to " + who, rc);
    }
    MPI_Request request;
    if (int rc =
            MPI_Irecv(&s.worker_ns, 1, MPI_INT64_T, rank, kMpiTagPong, MPI_COMM_WORLD, &request);
        rc != MPI_SUCCESS) {
      return MpiError("clock answer from " + who, rc);
    }
    // MPI_Test in a loop rather than MPI_Wait, so a rank that never answers
    // is a time-out, not a hang. The clock only every kPollsPerClockRead
    // polls, unordered: bench ipc's "Open MPI ping-pong" is this loop, and
    // should be MPI's own polling, not ours.
    int done = 0;
    for (uint32_t polls = 1; !done; ++polls) {
      if (int rc = MPI_Test(&request, &done, MPI_STATUS_IGNORE); rc != MPI_SUCCESS) {
        return MpiError("clock answer from " + who, rc);
      }
      if (!done && polls % kPollsPerClockRead == 0 && NowNsUnordered() - s.sent_ns > timeout_ns) {
        MPI_Cancel(&request);
        MPI_Request_free(&request);
        return DeadlineExceeded(who + " did not answer a clock ping within " +
                                std::to_string(timeout_ns / 1'000'000) + " ms");
      }
    }
    s.received_ns = NowNs();
  }
  return samples;
}

Result<pb::ClockEstimate> MeasureClock(int rank, int exchanges, int64_t timeout_ns) {
  PARLAB_ASSIGN_OR_RETURN(std::vector<ClockSample> samples,
                          ExchangePings(rank, exchanges, timeout_ns));
  return EstimateFrom(samples.data(), static_cast<int>(samples.size()));
}

Status AnswerPing(int source) {
  const int64_t now_ns = NowNs();
  if (int rc = MPI_Send(&now_ns, 1, MPI_INT64_T, source, kMpiTagPong, MPI_COMM_WORLD);
      rc != MPI_SUCCESS) {
    return MpiError("clock answer to rank " + std::to_string(source), rc);
  }
  return Status::Ok();
}

}  // namespace parlab
