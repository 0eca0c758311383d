#pragma once
// `parlab env`'s text: aligned "key: value" sections (CPU, SIMD, Eigen /
// OpenMP, BLAS, thread variables, build, limits), then the warnings. The JSON
// of the same report is env_report_json.h.

#include <string>

#include "proto/report.pb.h"

namespace parlab {

// Ends with a newline.
std::string EnvReportText(const pb::EnvReport& report);

}  // namespace parlab
