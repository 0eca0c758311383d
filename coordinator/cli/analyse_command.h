#pragma once
// `parlab analyse run.jsonl [more.jsonl ...]`: where a logged run's time went
// (log_analysis.h), printed as a breakdown for one log or side by side for
// several (analysis_report.h), as JSON with --json, and as a Chrome/Perfetto
// trace with --trace (trace_writer.h).

#include <CLI/CLI.hpp>

#include "coordinator/cli/command.h"

namespace parlab {

Command AddAnalyseCommand(CLI::App& app);

}  // namespace parlab
