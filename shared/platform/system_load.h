#pragma once
// How busy the machine is, read from /proc, so that a figure measured while
// other work competed for the cores can say so: the 1-minute load average
// (/proc/loadavg) and the CPU time counters of all cores (/proc/stat's
// "cpu" line), whose steal column is time a hypervisor gave this VM's cores
// to someone else. A sample is a snapshot; two of them, before and after a
// measurement, give the steal share in between. Thread-safe (no state).

#include <cstdint>
#include <optional>
#include <string_view>

namespace parlab {

struct LoadSample {
  double load1 = 0;          // runnable + uninterruptible tasks, 1-minute average
  uint64_t steal_ticks = 0;  // summed over cores, in USER_HZ ticks
  uint64_t total_ticks = 0;  // every column of the "cpu" line
};

// Reads both files; nullopt when either is missing or unreadable (not Linux,
// /proc not mounted): callers then print nothing about load.
std::optional<LoadSample> SampleLoad();

// The parsers, for tests. ParseLoadAvg takes /proc/loadavg's text
// ("0.52 0.58 0.59 1/467 12345"), ParseCpuTicks /proc/stat's (the first line
// "cpu  user nice system idle iowait irq softirq steal ..."); each fills
// its fields of `sample` and returns false on text it does not recognise.
bool ParseLoadAvg(std::string_view text, LoadSample& sample);
bool ParseCpuTicks(std::string_view text, LoadSample& sample);

// Steal time between two samples as a share of all CPU time in between,
// 0 when no time passed or the counters went backwards.
double StealShare(const LoadSample& before, const LoadSample& after);

}  // namespace parlab
