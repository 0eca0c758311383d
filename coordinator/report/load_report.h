#pragma once
// The load probe beside every figure: how busy the machine was before and
// after a measurement (shared/platform/system_load.h), and the line a report
// prints when it was busy enough to make the figures slower and noisier than
// on a quiet machine. LoadWatch samples; the rest is pure. One thread each.

#include <optional>
#include <string>

#include "proto/parlab.pb.h"
#include "shared/platform/system_load.h"

namespace parlab {

// Busy: the load before the measurement above usable cores − 0.5 (another
// runnable task for most of a core: the load after includes the measurement's
// own workers, so it is shown, not judged), or steal above 2% in between.
inline constexpr double kBusyLoadMargin = 0.5;
inline constexpr double kBusyStealShare = 0.02;

// Either sample missing: an unset probe (busy false, zeros).
pb::LoadProbe MakeLoadProbe(const std::optional<LoadSample>& before,
                            const std::optional<LoadSample>& after, int usable_cores);

// "machine busy: load 4.76 before, 5.10 after on 2 usable cores, steal 3.1%:
// figures are slower and noisier than on a quiet machine"; "" when not busy.
std::string LoadLine(const pb::LoadProbe& probe);

// Samples at construction; Finish() samples again and makes the probe.
class LoadWatch {
 public:
  LoadWatch() : before_(SampleLoad()) {}
  pb::LoadProbe Finish(int usable_cores) const {
    return MakeLoadProbe(before_, SampleLoad(), usable_cores);
  }

 private:
  std::optional<LoadSample> before_;
};

}  // namespace parlab
