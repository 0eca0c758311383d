#pragma once
// `--trace run.json`: task records as a Chrome trace (the "JSON object"
// format of the Trace Event Format, which Perfetto and chrome://tracing
// open). One process track for the coordinator and one per worker; a complete
// slice ("X") per phase of each task — encode on the coordinator, queued,
// wake-up, decode and compute on the worker, return back on the coordinator —
// and one flow per task (submit → compute → result). The job's parameters
// are in "metadata".
//
// Slices of one track must nest, but a worker's next task waits while the
// current one computes and answers of several tasks travel at once; so every
// track kind (e.g. "queue · wake-up" of worker 1) is split into as many lanes
// (threads, in the file) as needed for its slices to nest. The file is
// written as it is formatted, through one reused buffer: 100,000 tasks take a
// fraction of a second. Not synchronised; one call writes one file.

#include <cstdint>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

struct TraceOptions {
  // Tasks written at most (the first ones in the records' order); 0 = all.
  // Perfetto's UI loads JSON traces of a few hundred MB; 100,000 tasks make ~100 MB.
  int64_t max_tasks = 100'000;
  std::string source;  // what the records came from, for the metadata
};

// Writes `records` (any trials, any order) of `job` to `path`, replacing it.
// The error names the path.
Status WriteTrace(const std::string& path, const pb::JobSpec& job,
                  const std::vector<TaskRecord>& records, const TraceOptions& options);

}  // namespace parlab
