#include "shared/clock.h"

#include <ctime>

namespace parlab {

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

MonotonicClock& MonotonicClock::Get() {
  static MonotonicClock clock;
  return clock;
}

}  // namespace parlab
