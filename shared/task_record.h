#pragma once
// One task's timestamps and outcome, as the coordinator collects them. A plain
// struct (not the protobuf TaskRecord) so that recording costs no allocation on
// the hot path; it is converted to pb::TaskRecord only when a log is written.
//
// Stamps are nanoseconds of the run's stamp clock (shared/clock.h), one time
// axis for all processes of a run on a host. A stamp a mode cannot take (in-process modes have no
// encode or decode) equals the stamp before it, so its phase measures 0.

#include <cstdint>

namespace parlab {

struct TaskStamps {
  int64_t submit_ns = 0;    // the coordinator decided to send the task
  int64_t enqueued_ns = 0;  // encoded and in the worker's queue or ring
  int64_t dequeued_ns = 0;  // the worker took it
  int64_t decoded_ns = 0;   // the worker decoded it
  int64_t compute_start_ns = 0;
  int64_t compute_end_ns = 0;
  int64_t result_enqueued_ns = 0;  // the worker's answer is in its response queue
  int64_t result_dequeued_ns = 0;  // the coordinator took the answer
  // Command tasks only (0 otherwise), between compute_start and compute_end:
  int64_t spawn_ns = 0;      // the spawn called (SpawnedGroup::Spawn)
  int64_t spawned_ns = 0;    // the spawn returned: cloned and exec'd
  int64_t exited_ns = 0;     // its exit seen
  int64_t collected_ns = 0;  // the coordinator wrote its output out (after result_dequeued)
};

enum class TaskOutcome : int32_t {
  kOk = 0,
  kFailed = 1,      // the kernel reported an error; not retried
  kWorkerDied = 2,  // every attempt killed its worker
  kTimedOut = 3,
  kCorruptAnswer = 4,  // every attempt's answer frame came back corrupt
};

struct TaskRecord {
  uint64_t id = 0;
  int32_t trial = 0;  // -1 for warmup trials
  int32_t worker = 0;
  int32_t attempt = 1;
  TaskOutcome outcome = TaskOutcome::kOk;
  int32_t signal = 0;  // the signal that killed the worker of the last failed attempt
  double checksum = 0;
  double flops = 0;  // as the kernel counted them, for GFLOPS
  double bytes = 0;  // as the kernel counted them, for GB/s
  TaskStamps t;
};

}  // namespace parlab
