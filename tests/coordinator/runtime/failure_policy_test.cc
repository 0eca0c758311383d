#include "coordinator/runtime/failure_policy.h"

#include <gtest/gtest.h>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

TEST(FailurePolicyTest, ParsesTaskAndAction) {
  Result<pb::FaultInjection> fault = ParseFault("17:abort");
  ASSERT_TRUE(fault.ok());
  EXPECT_EQ(fault->task(), 17);
  EXPECT_EQ(fault->action(), pb::FAULT_ABORT);
  for (const char* name : {"abort", "kill", "segv", "exit", "hang", "stop"}) {
    Result<pb::FaultInjection> parsed = ParseFault(std::string("0:") + name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_STREQ(FaultActionName(parsed->action()), name);
  }
}

TEST(FailurePolicyTest, RefusesMalformedFaults) {
  for (const char* text : {"", "17", ":abort", "17:", "-1:abort", "x:abort", "17:explode",
                           "17:abort:1", "1 7:abort", "99999999999999999999:kill"}) {
    Result<pb::FaultInjection> fault = ParseFault(text);
    EXPECT_FALSE(fault.ok()) << text;
  }
}

pb::JobSpec ProcsJob() {
  pb::JobSpec job = DefaultJob();
  job.set_mode(pb::PROCS);
  job.set_tasks(10);
  return job;
}

TEST(FailurePolicyTest, DefaultsAreValid) {
  const pb::JobSpec job = ProcsJob();
  EXPECT_EQ(job.max_attempts(), kDefaultMaxAttempts);
  EXPECT_EQ(job.heartbeat_timeout_ms(), kDefaultHeartbeatTimeoutMs);
  EXPECT_TRUE(ValidateFailurePolicy(job).ok());
}

TEST(FailurePolicyTest, RefusesOutOfRangeValues) {
  pb::JobSpec job = ProcsJob();
  job.set_max_attempts(0);
  EXPECT_FALSE(ValidateFailurePolicy(job).ok());
  job = ProcsJob();
  job.set_task_timeout_ms(-1);
  EXPECT_FALSE(ValidateFailurePolicy(job).ok());
  job = ProcsJob();
  job.set_heartbeat_timeout_ms(kMinHeartbeatTimeoutMs - 1);
  EXPECT_FALSE(ValidateFailurePolicy(job).ok());
  job.set_heartbeat_timeout_ms(0);  // never
  EXPECT_TRUE(ValidateFailurePolicy(job).ok());
}

TEST(FailurePolicyTest, FaultsOnlyWhereAWorkerCanTakeThem) {
  pb::JobSpec job = ProcsJob();
  *job.mutable_fault() = *ParseFault("3:kill");
  EXPECT_TRUE(ValidateFailurePolicy(job).ok());
  job.set_mode(pb::THREADS);
  EXPECT_FALSE(ValidateFailurePolicy(job).ok());
  job.set_mode(pb::PROCS);
  // uds replaces its workers as shm does (one scheduler over both).
  job.set_transport(pb::UDS);
  EXPECT_TRUE(ValidateFailurePolicy(job).ok());
  job.set_transport(pb::SHM);
  job.mutable_fault()->set_task(10);  // a trial has tasks 0..9
  const Status status = ValidateFailurePolicy(job);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("not below the 10 tasks"), std::string::npos);
}

}  // namespace
}  // namespace parlab
