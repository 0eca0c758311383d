#pragma once
// The warnings every report carries under its table: results too noisy to
// trust, more runnable threads than cores, a build whose timings mean nothing.
// Pure function of its arguments; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

namespace parlab {

// A CV above this (5%) marks a result as noisy (README.md: every figure states its noise).
inline constexpr double kNoisyCv = 0.05;

// Returns one line per problem, in a fixed order (noisy, oversubscribed, build),
// empty when there is none. UTF-8 ("—", "×").
//   cv                   coefficient of variation of the measured wall times, a
//                        fraction (Summary::cv): 0.073 prints as "CV 7.3%"
//   processes            worker processes running at once (1 for in-process modes)
//   threads_per_process  busy threads in each of them (OpenMP/BLAS/worker threads)
//   usable_cores         cores this process may use (UsableCores() in
//                        coordinator/report/env_report.h); <= 0 means unknown: no check
//   build_type           CMake build type (BuildType() in shared/build_info.h)
std::vector<std::string> ReportWarnings(double cv, int processes, int threads_per_process,
                                        int usable_cores, std::string_view build_type);

}  // namespace parlab
