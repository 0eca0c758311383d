#pragma once
// The machine's ceiling: how much faster than one core this machine's usable
// cores run a busy loop when all of them run it at once (measured by
// coordinator/runtime/ceiling_probe.h), and the words that put a speedup
// beside it — "1.70× of a possible 1.78×". A VM whose vCPUs share physical
// cores, or a host busy with others, delivers less than its core count; a
// speedup is read against what the machine can deliver, not against the
// number of cores. Pure functions; thread-safe.

#include <string>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// The probes (at least one) summarized: mean, lowest and highest ceiling, and
// the sentence "2 cores deliver 1.78× of one".
pb::Ceiling SummarizeCeiling(int cores, const std::vector<pb::CeilingProbe>& probes);

// The speedup `units` busy threads or processes can reach here: 1 for one,
// the measured ceiling for all usable cores (or more: oversubscribed units
// share them), and in between on the straight line from (1, 1) to
// (cores, ceiling) — the probe runs at all cores only, to stay short.
// 0 when no ceiling was measured.
double PossibleSpeedup(const pb::Ceiling& ceiling, int units);

// "1.70× of 1.78×" for a table cell; "" when no ceiling was measured.
std::string OfCeiling(double speedup, double possible);

// "ceiling: 2 cores deliver 1.78× of one (1.74–1.82× over 2 probes, before and
// after the trials)"; "" when no ceiling was measured.
std::string CeilingLine(const pb::Ceiling& ceiling);

}  // namespace parlab
