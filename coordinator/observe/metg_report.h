#pragma once
// How `parlab metg` reads: one METG per mode, then the efficiency of every
// step that ran, so the crossing can be checked by eye; or the steps as CSV.
// JSON is ToJson(report) from report_format.h. Writes to the given stream.

#include <ostream>

#include "coordinator/report/table.h"
#include "proto/parlab.pb.h"

namespace parlab {

void PrintMetgTable(const pb::MetgReport& report, std::ostream& out);

// The rows for --csv (report/table.h): one per mode and step that ran —
// mode, parallel_units, spin_us, task_duration_s, tasks, wall_mean_s,
// efficiency, compute_median_s, then the mode's answer (reached, at_floor,
// metg_s) and the efficiency the machine's ceiling allows at its units (0:
// not probed). Plain numbers in seconds and ratios.
Table MetgCsvTable(const pb::MetgReport& report);

}  // namespace parlab
