#pragma once
// The job runner's last check: every answered task of a job reports the same
// checksum, since every task gets the same input. Pure function, no state.

#include <vector>

#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

// kInternal naming the first task whose checksum differs from the first
// answered task's by more than 1e-9 relative (floating-point reassociation),
// or is not a number. Failed tasks have no answer and are skipped.
Status CheckChecksums(const std::vector<TaskRecord>& records);

}  // namespace parlab
