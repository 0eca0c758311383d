#pragma once
// The environment report as data: pb::EnvReport (proto/report.proto), what
// `parlab env --json` prints and every log header embeds as JSON
// (LogHeader.env_json), so that a log says which machine and build made its
// numbers. Field names are the .proto's: tools and `parlab analyse` read
// them. Safe to call from any thread.

#include <string>

#include "coordinator/report/env_report.h"
#include "proto/report.pb.h"

namespace parlab {

// The report as its message; strings read from the system are made valid UTF-8.
pb::EnvReport EnvReportMessage(const EnvReport& report);

// One JSON object on one line, no trailing newline.
std::string EnvReportJson(const EnvReport& report);
// Collects and renders: what a log header calls.
std::string EnvReportJson();

}  // namespace parlab
