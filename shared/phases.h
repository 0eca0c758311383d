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
// not communication. overhead = encode + wake-up + decode + return.
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

// Every task's phases, one series per phase (ns, as doubles for the
// statistics), for reports that take percentiles of each.
struct PhaseSamples {
  std::vector<double> encode, queue, wake, decode, compute, ret, overhead;

  void Add(const TaskPhases& p);
  size_t size() const { return compute.size(); }
};

}  // namespace parlab
