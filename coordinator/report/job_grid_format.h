#pragma once
// How a job file's grid is printed (`parlab run --job` with a grid): one row
// per size × mode × worker count, in the order they were planned, then the
// rows' notes, failures and warnings. Writes to the given stream; no state.

#include <ostream>

#include "proto/parlab.pb.h"

namespace parlab {

void PrintJobGridTable(const pb::JobGridReport& report, std::ostream& out);

}  // namespace parlab
