#pragma once
// How `parlab metg` reads: one METG per mode, then the efficiency of every
// step that ran, so the crossing can be checked by eye. JSON is
// ToJson(report) from report_format.h. Writes to the given stream.

#include <ostream>

#include "proto/parlab.pb.h"

namespace parlab {

void PrintMetgTable(const pb::MetgReport& report, std::ostream& out);

}  // namespace parlab
