#pragma once
// The job runner's last check: every answered task of a job reports the same
// checksum, since every task gets the same input — or, in a job with a task
// list (JobSpec.task_kernels), every run of the same task of the list does.
// Pure function, no state.

#include <cstdint>
#include <vector>

#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

// kInternal naming the first task whose checksum differs from the first
// answered task's by more than 1e-9 relative (floating-point reassociation),
// or is not a number. Failed tasks have no answer and are skipped.
// `tasks_listed` > 1: the job lists that many tasks with their own
// parameters, so only records of the same task of the list (id % tasks_listed,
// as ids run on across trials) are compared with each other.
Status CheckChecksums(const std::vector<TaskRecord>& records, uint64_t tasks_listed = 1);

}  // namespace parlab
