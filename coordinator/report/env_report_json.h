#pragma once
// The environment report as JSON: what `parlab env --json` prints and every
// log header embeds (LogHeader.env_json), so that a log says which machine
// and build made its numbers. Field names are snake_case and stable: tools
// and `parlab analyse` read them. Safe to call from any thread.

#include <string>

#include "coordinator/report/env_report.h"

namespace parlab {

// One JSON object on one line, no trailing newline.
std::string EnvReportJson(const EnvReport& report);
// Collects and renders: what a log header calls.
std::string EnvReportJson();

}  // namespace parlab
