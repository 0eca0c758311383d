#pragma once
// Splits each task's end-to-end time into the phases of docs/architecture.md
// ("The life of one task"), so that the cost of communication is seen apart
// from the compute:
//
//   encode   = enqueued − submit
//   queue    = ready − enqueued       waiting behind earlier tasks of the same worker
//   wake-up  = dequeued − ready       the worker was idle or asleep while the task was ready
//   decode   = decoded − dequeued
//   compute  = compute_end − compute_start
//   return   = result_dequeued − compute_end   (encode the answer, send it, be noticed)
//
// where ready = max(enqueued, the same worker's previous result_enqueued): a
// task cannot start before its worker is free, and that wait is scheduling,
// not communication. A task already queued by then (pipelined: --inflight,
// chunks) is ready only once the coordinator took the previous answer
// (result_dequeued): until then the worker was still answering that task,
// time its return phase holds, so no span is counted in two tasks' overhead.
// overhead = encode + wake-up + decode + return.
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shared/task_record.h"

namespace parlab {

struct TaskPhases {
  int64_t encode_ns = 0;
  int64_t queue_ns = 0;
  int64_t wake_ns = 0;
  int64_t decode_ns = 0;
  int64_t compute_ns = 0;
  int64_t return_ns = 0;
  int64_t overhead_ns() const { return encode_ns + wake_ns + decode_ns + return_ns; }
  int64_t end_to_end_ns() const {
    return encode_ns + queue_ns + wake_ns + decode_ns + compute_ns + return_ns;
  }
};

// Phases of every record, in the records' order. Records of one worker are
// ordered by their dequeue stamp to find each one's predecessor.
std::vector<TaskPhases> SplitPhases(const std::vector<TaskRecord>& records);

// A command task's compute split further (docs/architecture.md, "Command
// tasks"): how much of it was starting a process rather than running it.
//
//   spawn      = spawn − compute_start      its output pipes or files, its argv
//   exec       = spawned − spawn            the spawn: clone, set-up, execve
//   run        = exited − spawned           the program, until its end is seen
//   exit       = compute_end − exited       reaping it, gathering its output
//   collection = collected − compute_end    the answer back, its output written out
//
// All 0 for a record without command stamps (spawn_ns == 0).
struct CommandPhases {
  int64_t spawn_ns = 0;
  int64_t exec_ns = 0;
  int64_t run_ns = 0;
  int64_t exit_ns = 0;
  int64_t collection_ns = 0;
  // Starting the process, as a user counts it: spawn + exec.
  int64_t startup_ns() const { return spawn_ns + exec_ns; }
};
CommandPhases SplitCommandPhases(const TaskRecord& record);

// Every task's phases, one series per phase (ns, as doubles for the
// statistics), for reports that take percentiles of each.
struct PhaseSamples {
  std::vector<double> encode, queue, wake, decode, compute, ret, overhead;

  void Add(const TaskPhases& p);
  size_t size() const { return compute.size(); }
};

}  // namespace parlab
