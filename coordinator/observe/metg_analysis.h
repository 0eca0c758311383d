#pragma once
// The arithmetic of METG, the minimum effective task granularity of Task
// Bench (Slaughter et al., "Task Bench: A Parameterized Benchmark for
// Evaluating Parallel Runtime Performance", SC'20): the smallest task
// duration at which a runtime still reaches 50% efficiency — how finely work
// may be cut before the runtime's own costs eat it. Pure; thread-safe.

#include <cstdint>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// min_us, min_us × factor, min_us × factor², ... up to max_us, rounded to
// whole µs with repeats dropped (1, 2, 4 ... for factor 2; 1, 1.5 -> 2, ...).
// Preconditions: 1 <= min_us <= max_us, factor > 1.
std::vector<int64_t> MetgSteps(int64_t min_us, int64_t max_us, double factor);

// (tasks × task_s / parallel units) / wall_s: the share of the wall time the
// parallel units spent on the work itself. 0 for a wall of 0.
double TaskEfficiency(int64_t tasks, double task_s, int parallel_units, double wall_s);

struct MetgEstimate {
  bool reached = false;   // some point reached the target
  bool at_floor = false;  // the smallest task tried already reached it
  double metg_s = 0;      // where the efficiency crosses the target
};

// The smallest task duration reaching `target` efficiency among `points`
// (task_s, efficiency; any order): the first point, by ascending task_s, at
// or above the target; the crossing is interpolated linearly in efficiency
// against log(task_s) between it and the point before it. At the first point
// the answer is that point's duration, flagged at_floor (METG is at most
// that); with no point at the target, not reached.
MetgEstimate EstimateMetg(const std::vector<pb::MetgPoint>& points, double target = 0.5);

}  // namespace parlab
