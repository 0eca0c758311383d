#pragma once
// The runtime's promises for a job that forked workers, checked strictly, by
// every test that forks them (issue 17):
//  - each measured trial t holds exactly the ids [first, first + tasks), each
//    once, first = (warmup + t) × tasks, each with its expected outcome: kOk
//    unless the test names the task (its index in the trial, as
//    --inject-fault names it);
//  - every answered task's checksum is the one the kernel computes here, on
//    this thread, from the same parameters — and the kernel is one whose
//    checksum depends on its input (loop, sum, matmul), not spin's echo;
//  - nothing is left: no segment of the coordinator in /dev/shm, no process
//    whose command line names one, no parlab-worker child, zombies included.
// Header-only test support, not a unit of its own.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/local_task.h"
#include "shared/platform/process_list.h"
#include "tests/support/segment_checks.h"

namespace parlab {

// Expected failures: task index within a trial → its outcome. Every other
// task of every trial must be kOk.
using ExpectedOutcomes = std::map<uint64_t, TaskOutcome>;

// True for the kernels whose checksum is computed from their input, so that
// a worker that read the wrong bytes (or none) reports a different one.
inline bool ChecksumDependsOnInput(const pb::JobSpec& job) {
  const std::string& kernel = job.kernel().kernel();
  return kernel == "loop" || kernel == "sum" || kernel == "matmul";
}

// What the job's kernel computes on this thread, once, from the job's
// parameters: the reference every answered task must match. NaN if it
// cannot run (a failure is recorded).
inline double SequentialChecksum(const pb::JobSpec& job) {
  Result<LocalTask> task = LocalTask::Prepare(job.kernel(), 1);
  EXPECT_TRUE(task.ok()) << task.status().ToString();
  if (!task.ok()) return std::nan("");
  KernelContext context;
  context.threads = std::max(1, job.threads());
  TaskRecord record;
  task->Run(0, context, record);
  return record.checksum;
}

// Ids, outcomes and checksums; returns the records that were expected to
// fail, trial by trial, for the test's own checks (signal, attempt).
inline std::vector<TaskRecord> ExpectExactTrials(const JobOutcome& outcome,
                                                 const ExpectedOutcomes& expected = {}) {
  const pb::JobSpec& job = outcome.job;
  EXPECT_TRUE(ChecksumDependsOnInput(job))
      << job.kernel().kernel() << "'s checksum does not depend on its input: use loop or sum";
  const auto tasks = static_cast<uint64_t>(job.tasks());
  const auto trials = static_cast<size_t>(job.trials());
  EXPECT_EQ(outcome.trial_wall_ns.size(), trials);
  EXPECT_EQ(outcome.records.size(), trials * tasks);
  const double reference = SequentialChecksum(job);
  const double tolerance = 1e-9 * std::max(1.0, std::abs(reference));
  // seen[t][i]: task i of trial t was reported.
  std::vector<std::vector<bool>> seen(trials, std::vector<bool>(tasks, false));
  std::vector<TaskRecord> failed;
  for (const TaskRecord& r : outcome.records) {
    if (r.trial < 0 || static_cast<size_t>(r.trial) >= trials) {
      ADD_FAILURE() << "task " << r.id << " has trial " << r.trial << ", not a measured trial";
      continue;
    }
    const uint64_t first =
        (static_cast<uint64_t>(job.warmup()) + static_cast<uint64_t>(r.trial)) * tasks;
    if (r.id < first || r.id >= first + tasks) {
      ADD_FAILURE() << "task " << r.id << " of trial " << r.trial << " is outside [" << first
                    << ", " << first + tasks << ")";
      continue;
    }
    const uint64_t index = r.id - first;
    auto slot = seen[static_cast<size_t>(r.trial)].begin() + static_cast<std::ptrdiff_t>(index);
    EXPECT_FALSE(*slot) << "task " << r.id << " of trial " << r.trial << " reported twice";
    *slot = true;
    const auto named = expected.find(index);
    const TaskOutcome want = named == expected.end() ? TaskOutcome::kOk : named->second;
    EXPECT_EQ(r.outcome, want) << "task " << r.id << " (index " << index << ") of trial " << r.trial
                               << ", attempt " << r.attempt;
    if (named != expected.end()) failed.push_back(r);
    if (r.outcome != TaskOutcome::kOk) continue;
    EXPECT_NEAR(r.checksum, reference, tolerance) << "task " << r.id << " of trial " << r.trial;
    EXPECT_GE(r.worker, 0) << "task " << r.id;
    EXPECT_LT(r.worker, job.workers()) << "task " << r.id;
    EXPECT_LE(r.t.submit_ns, r.t.enqueued_ns) << "task " << r.id;
    EXPECT_LE(r.t.compute_start_ns, r.t.compute_end_ns) << "task " << r.id;
    EXPECT_LE(r.t.result_enqueued_ns, r.t.result_dequeued_ns) << "task " << r.id;
  }
  for (size_t t = 0; t < trials; ++t) {
    const auto missing = static_cast<size_t>(std::count(seen[t].begin(), seen[t].end(), false));
    EXPECT_EQ(missing, 0u) << missing << " task(s) of trial " << t << " never reported";
  }
  return failed;
}

// Nothing of `coordinator`'s jobs is left: no segment (/parlab-<pid>-*), no
// process whose command line names one, no parlab-worker child of it, alive
// or a zombie nobody reaped.
inline void ExpectNothingLeft(pid_t coordinator = getpid()) {
  for (const SegmentFile& segment : SegmentsOf(coordinator)) {
    ADD_FAILURE() << "segment " << segment.name << " left in /dev/shm";
  }
  const std::string needle = "/parlab-" + std::to_string(coordinator) + "-";
  for (const ProcessEntry& process : ListProcesses()) {
    if (process.cmdline.find(needle) != std::string::npos) {
      ADD_FAILURE() << "pid " << process.pid << " still names a segment: " << process.cmdline;
    }
    if (process.parent == coordinator && process.comm == "parlab-worker") {
      ADD_FAILURE() << "worker pid " << process.pid << " left behind, state " << process.state;
    }
  }
}

// All of the above for a finished job of this process.
inline std::vector<TaskRecord> ExpectStrictOutcome(const JobOutcome& outcome,
                                                   const ExpectedOutcomes& expected = {}) {
  std::vector<TaskRecord> failed = ExpectExactTrials(outcome, expected);
  ExpectNothingLeft();
  return failed;
}

}  // namespace parlab
