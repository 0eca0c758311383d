#pragma once
// How a sweep reads: the table (one row per mode and worker count, then the
// Amdahl fit of each mode) and CSV (one row per point, the seq reference
// first). JSON is ToJson(report) from report/json_output.h. Writes to the given
// stream; no global state.

#include <ostream>

#include "coordinator/report/table.h"
#include "proto/parlab.pb.h"

namespace parlab {

void PrintSweepTable(const pb::SweepReport& report, std::ostream& out);

// Header: mode,workers,parallel_units,oversubscribed,wall_mean_s,wall_std_s,
// speedup,efficiency,karp_flatt,ipc_share,amdahl_serial_fraction,
// amdahl_residual_rms,possible_speedup (what the machine's ceiling allows at
// p; 0 when not probed; 1 for seq when probed). An undefined value (Karp–Flatt at p = 1, the fit of
// the reference row or of a series with nothing to fit) is an empty cell.
void PrintSweepCsv(const pb::SweepReport& report, std::ostream& out);

// The table's rows for --markdown (report/table.h), seq first.
Table SweepMarkdownTable(const pb::SweepReport& report);

}  // namespace parlab
