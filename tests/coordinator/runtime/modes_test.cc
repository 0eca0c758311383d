// Every in-process mode runs the same tasks to the same checksums, with one
// complete, well-ordered record per task. No timings are asserted.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "tests/support/job_outcome_checks.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

pb::JobSpec SmallJob(const std::string& kernel, pb::Mode mode) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel(kernel)->Defaults();
  if (kernel == "loop") job.mutable_kernel()->set_n(200000);
  if (kernel == "matmul") job.mutable_kernel()->set_n(64);
  if (kernel == "sleep") job.mutable_kernel()->set_ms(1);
  if (kernel == "spin") job.mutable_kernel()->set_us(200);
  job.set_mode(mode);
  job.set_workers(2);
  job.set_threads(2);
  job.set_tasks(6);
  job.set_warmup(1);
  job.set_trials(2);
  job.set_switch_interval_ms(0.5);
  return job;
}

class ModesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ModesTest, EveryModeGivesTheSameChecksums) {
  const std::string kernel = GetParam();
  double reference = 0;
  bool have_reference = false;
  for (pb::Mode mode : AllModes()) {
    SCOPED_TRACE(std::string(ModeName(mode)) + " " + kernel);
    const pb::JobSpec job = SmallJob(kernel, mode);
    ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
    Result<JobOutcome> outcome = RunJob(job);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    ExpectWellFormed(*outcome);
    if (mode == pb::PROCS || mode == pb::HYBRID) ExpectNothingLeft();
    const double checksum = outcome->records.front().checksum;
    if (!have_reference) {
      reference = checksum;
      have_reference = true;
    }
    EXPECT_NEAR(checksum, reference, 1e-9 * std::max(1.0, std::abs(reference)));
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, ModesTest,
                         ::testing::Values("noop", "loop", "spin", "matmul", "sleep"));

// The modes that fork workers, held to the strict check: each trial's ids
// exactly once, every answer the kernel's own checksum, nothing left.
class ForkingModesTest : public ::testing::TestWithParam<std::tuple<pb::Mode, std::string>> {};

TEST_P(ForkingModesTest, KeepTheRuntimesPromises) {
  const auto [mode, kernel] = GetParam();
  pb::JobSpec job = SmallJob(kernel, mode);
  if (kernel == "sum") job.mutable_kernel()->set_n(64);
  ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  Result<JobOutcome> outcome = RunJob(job);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ExpectStrictOutcome(*outcome);
}

INSTANTIATE_TEST_SUITE_P(ProcsAndHybrid, ForkingModesTest,
                         ::testing::Combine(::testing::Values(pb::PROCS, pb::HYBRID),
                                            ::testing::Values("loop", "sum")));

TEST(ModesTest, GilModeReportsLockHandOvers) {
  Result<JobOutcome> outcome = RunJob(SmallJob("loop", pb::GIL));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_FALSE(outcome->notes.empty());
  EXPECT_NE(outcome->notes.front().find("hand-overs"), std::string::npos);
}

TEST(ModesTest, CalibrationGivesAMultipleOfTheWorkers) {
  pb::JobSpec job = SmallJob("spin", pb::THREADS);
  job.set_workers(3);
  Result<int64_t> tasks = CalibrateTasks(job, 0.01);
  ASSERT_TRUE(tasks.ok());
  EXPECT_GE(*tasks, 6);
  EXPECT_EQ(*tasks % 3, 0);
}

}  // namespace
}  // namespace parlab
