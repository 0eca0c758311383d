#pragma once
// What every mode's JobOutcome must satisfy, shared by the mode tests: one
// record per task and trial, each id once, stamps in their causal order, the
// worker index in range, and the measured ids right after the warmups'.

#include <gtest/gtest.h>

#include <set>

#include "coordinator/runtime/job_runner.h"

namespace parlab {

// A task's stamps, each taken after the one before it.
inline void ExpectStampsInOrder(const TaskStamps& t) {
  EXPECT_GT(t.submit_ns, 0);
  EXPECT_LE(t.submit_ns, t.enqueued_ns);
  EXPECT_LE(t.enqueued_ns, t.dequeued_ns);
  EXPECT_LE(t.dequeued_ns, t.decoded_ns);
  EXPECT_LE(t.decoded_ns, t.compute_start_ns);
  EXPECT_LE(t.compute_start_ns, t.compute_end_ns);
  EXPECT_LE(t.compute_end_ns, t.result_enqueued_ns);
  EXPECT_LE(t.result_enqueued_ns, t.result_dequeued_ns);
}

inline void ExpectWellFormed(const JobOutcome& outcome) {
  const pb::JobSpec& job = outcome.job;
  ASSERT_EQ(outcome.trial_wall_ns.size(), static_cast<size_t>(job.trials()));
  ASSERT_EQ(outcome.records.size(), static_cast<size_t>(job.tasks() * job.trials()));
  std::set<uint64_t> ids;
  for (const TaskRecord& r : outcome.records) {
    EXPECT_TRUE(ids.insert(r.id).second) << "task " << r.id << " reported twice";
    EXPECT_EQ(r.outcome, TaskOutcome::kOk);
    ExpectStampsInOrder(r.t);
    EXPECT_GE(r.worker, 0);
    EXPECT_LT(r.worker, job.workers());
  }
  // Warmup ids come first, so the measured ids are the last tasks × trials.
  const auto first = static_cast<uint64_t>(job.tasks() * job.warmup());
  EXPECT_EQ(*ids.begin(), first);
  EXPECT_EQ(*ids.rbegin(), first + outcome.records.size() - 1);
}

}  // namespace parlab
