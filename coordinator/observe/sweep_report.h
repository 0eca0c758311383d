#pragma once
// How a sweep reads: the table (one row per mode and worker count, then the
// Amdahl fit of each mode) and CSV (one row per point, the seq reference
// first). JSON is ToJson(report) from report_format.h. Writes to the given
// stream; no global state.

#include <ostream>

#include "proto/parlab.pb.h"

namespace parlab {

void PrintSweepTable(const pb::SweepReport& report, std::ostream& out);

// Header: mode,workers,parallel_units,oversubscribed,wall_mean_s,wall_std_s,
// speedup,efficiency,karp_flatt,ipc_share,amdahl_serial_fraction,
// amdahl_residual_rms. An undefined value (Karp–Flatt at p = 1, the fit of
// the reference row or of a series with nothing to fit) is an empty cell.
void PrintSweepCsv(const pb::SweepReport& report, std::ostream& out);

}  // namespace parlab
