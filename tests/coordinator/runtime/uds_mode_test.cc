// procs over --transport uds runs real workers that get their payload through
// a socket: same checksums as seq and as shm, complete and well-ordered
// records, and no deadlock when large tasks and large answers cross. No
// timings are asserted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "tests/support/job_outcome_checks.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

pb::JobSpec SmallJob(const std::string& kernel, pb::Mode mode, pb::Transport transport) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel(kernel)->Defaults();
  if (kernel == "loop") job.mutable_kernel()->set_n(200000);
  if (kernel == "matmul") job.mutable_kernel()->set_n(64);
  job.set_mode(mode);
  job.set_transport(transport);
  job.set_workers(2);
  job.set_threads(1);
  job.set_tasks(6);
  job.set_warmup(1);
  job.set_trials(2);
  return job;
}

// The records of the uds runs are checked stamp by stamp; those of seq and
// shm only for their checksum (modes_test covers them). Every run that forks
// workers is held to the strict check (ids, answers, nothing left), its
// answers compared with the kernel's where they depend on the input.
double RunChecksum(const pb::JobSpec& job) {
  SCOPED_TRACE(std::string(ModeName(job.mode())) + (job.transport() == pb::UDS ? " uds" : ""));
  EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  Result<JobOutcome> outcome = RunJob(job);
  EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
  if (!outcome.ok()) return std::nan("");
  if (job.transport() == pb::UDS) ExpectWellFormed(*outcome);
  if (job.mode() != pb::SEQ) {
    if (ChecksumDependsOnInput(job)) ExpectExactTrials(*outcome);
    ExpectNothingLeft();
  }
  return outcome->records.front().checksum;
}

class UdsModeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UdsModeTest, GivesTheSameChecksumsAsSeqAndShm) {
  const std::string kernel = GetParam();
  const double seq = RunChecksum(SmallJob(kernel, pb::SEQ, pb::SHM));
  const double shm = RunChecksum(SmallJob(kernel, pb::PROCS, pb::SHM));
  const double uds = RunChecksum(SmallJob(kernel, pb::PROCS, pb::UDS));
  const double tolerance = 1e-9 * std::max(1.0, std::abs(seq));
  EXPECT_NEAR(shm, seq, tolerance);
  EXPECT_NEAR(uds, seq, tolerance);
}

INSTANTIATE_TEST_SUITE_P(Kernels, UdsModeTest, ::testing::Values("noop", "loop", "matmul"));

TEST(UdsModeTest, SaysItIsUdsInItsNotes) {
  Result<JobOutcome> outcome = RunJob(SmallJob("noop", pb::PROCS, pb::UDS));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_FALSE(outcome->notes.empty());
  EXPECT_NE(outcome->notes.front().find("transport uds"), std::string::npos);
  ExpectNothingLeft();
}

// matmul n=400: 2.5 MB in and 1.3 MB out per task, both far
// above a socket's buffer. With 2 in flight the coordinator writes the next
// task while the worker writes its answer: a synchronous coordinator would
// block in that write while the worker blocks in its own. Hangs (and the
// ctest TIMEOUT fails it) if the two directions are not independent.
TEST(UdsModeTest, LargePayloadsBothWaysDoNotDeadlock) {
  pb::JobSpec job = SmallJob("matmul", pb::PROCS, pb::UDS);
  job.mutable_kernel()->set_n(400);
  job.set_workers(2);
  job.set_inflight(2);
  job.set_tasks(8);
  job.set_warmup(0);
  job.set_trials(1);
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ExpectWellFormed(*outcome);
  ExpectStrictOutcome(*outcome);
}

TEST(UdsModeTest, HybridRunsOverUdsToo) {
  pb::JobSpec job = SmallJob("matmul", pb::HYBRID, pb::UDS);
  job.set_threads(2);
  const double hybrid = RunChecksum(job);
  const double seq = RunChecksum(SmallJob("matmul", pb::SEQ, pb::SHM));
  EXPECT_NEAR(hybrid, seq, 1e-9 * std::max(1.0, std::abs(seq)));
}

}  // namespace
}  // namespace parlab
