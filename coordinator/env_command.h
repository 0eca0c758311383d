#pragma once
// `parlab env [--json]`: what the machine, the build and the environment are,
// and what in them would hurt a parallel run (coordinator/env_report.h).

#include <string>

#include "coordinator/command.h"
#include "coordinator/env_report.h"

namespace parlab {

Command AddEnvCommand(CLI::App& app);

// Aligned "key: value" sections (CPU, SIMD, Eigen / OpenMP, BLAS, thread
// variables, build, limits), then the warnings. Ends with a newline.
std::string EnvReportText(const EnvReport& report);

}  // namespace parlab
