#pragma once
// How `parlab tour` prints: a section's heading, its explanation wrapped, its
// facts, its rows as a table (mean ± std, speedup and what it is against,
// GFLOPS), for sections whose rows are modes of a few workloads a pivot of
// speedups (workload × mode), then its conclusions and notes. Pure;
// thread-safe.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// Words of `text` in lines of at most `width` columns, each starting with `indent`.
std::string WrapText(std::string_view text, size_t width, std::string_view indent);

// Workload × mode speedups from rows labelled "<workload>: <mode>" with a mode
// set (parlab's job rows); empty when there are none.
struct SpeedupPivot {
  std::vector<std::string> modes;      // columns, in the order first seen
  std::vector<std::string> workloads;  // rows, in the order first seen
  // speedups[w][m]; < 0 where not measured.
  std::vector<std::vector<double>> speedups;
};
SpeedupPivot PivotSpeedups(const pb::TourSection& section);

void PrintTourSection(const pb::TourSection& section, std::ostream& out);

}  // namespace parlab
