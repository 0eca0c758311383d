#pragma once
// Where a job's records go as each trial ends: the runner hands them over and
// does not know what keeps them (the observe library's LogWriter writes a
// --log file; a test may just count). Called from the runner's thread, after
// a trial, never from the hot path.

#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // The records of one trial (warmups too, with negative trial numbers). An
  // error ends the job: records that cannot be kept are not silently lost.
  virtual Status Append(const std::vector<TaskRecord>& records) = 0;
  // Where the job's workers run and their clocks (mpi), once after the start
  // and again at the end with the second clock estimates; never for jobs on
  // one host. A log keeps them in its header.
  virtual Status SetPlaces(const std::vector<pb::WorkerPlace>& /*places*/) { return Status::Ok(); }
  // One record with what the plain struct has no room for (a command task's
  // input, exit and output tails), written as it settles, so that a run
  // stopped half-way leaves a log to --resume from. A sink that keeps only
  // plain records refuses it.
  virtual Status AppendFull(const pb::TaskRecord& /*record*/) {
    return FailedPrecondition("this record sink keeps no command records");
  }
};

}  // namespace parlab
