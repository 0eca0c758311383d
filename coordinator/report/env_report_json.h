#pragma once
// The environment report as data: pb::EnvReport (proto/report.proto), what
// `parlab env --json` prints and every log header embeds as JSON
// (LogHeader.env_json), so that a log says which machine and build made its
// numbers. Field names are the .proto's: tools and `parlab analyse` read
// them. Safe to call from any thread.

#include <string>

#include "proto/report.pb.h"

namespace parlab {

// One JSON object on one line, no trailing newline; strings read from the
// system are made valid UTF-8 (json_output.h ToJson).
std::string EnvReportJson(const pb::EnvReport& report);
// Collects and renders: what a log header calls.
std::string EnvReportJson();

}  // namespace parlab
