// A job file's grid expanded into a study (runtime/job_grid.h): a stage per
// size × worker count holding every mode, seq once per size, blas and hybrid
// threads as compare sets them, labels naming each point; and the combined
// report's speedups against seq of the same size. Pure: nothing runs.
#include "coordinator/runtime/job_grid.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

pb::JobSpec Matmul() {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("matmul")->Defaults();
  job.set_tasks(4);
  return job;
}

std::vector<std::string> Labels(const StudyStage& stage) {
  std::vector<std::string> labels;
  for (const StudyJob& job : stage.jobs) labels.push_back(job.label);
  return labels;
}

TEST(JobGridTest, EverySizeAndWorkerCountIsAStageOfEveryMode) {
  JobGrid grid;
  grid.sizes = {100, 200};
  grid.modes = {pb::SEQ, pb::PROCS, pb::BLAS, pb::HYBRID};
  grid.workers = {1, 4};
  Result<StudyPlan> plan = PlanJobGrid(Matmul(), grid, /*cores=*/8, /*threads_given=*/false);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->stages.size(), 4u);  // (100, 1), (100, 4), (200, 1), (200, 4)
  EXPECT_EQ(
      Labels(plan->stages[0]),
      (std::vector<std::string>{"n=100, seq", "n=100, procs, 1 worker", "n=100, blas, 1 thread",
                                "n=100, hybrid, 1 worker x 8 threads"}));
  // seq's workers mean nothing: it runs once per size.
  EXPECT_EQ(Labels(plan->stages[1]),
            (std::vector<std::string>{"n=100, procs, 4 workers", "n=100, blas, 4 threads",
                                      "n=100, hybrid, 4 workers x 2 threads"}));
  EXPECT_EQ(plan->stages[2].jobs.front().label, "n=200, seq");
  for (const StudyStage& stage : plan->stages) {
    for (const StudyJob& job : stage.jobs) {
      EXPECT_EQ(job.job.tasks(), 4);
      EXPECT_TRUE(ValidateJob(job.job).ok()) << job.label << ": " << ValidateJob(job.job).message();
    }
  }
  EXPECT_FALSE(plan->reference.has_value());
}

TEST(JobGridTest, GivenThreadsAreKept) {
  JobGrid grid;
  grid.modes = {pb::BLAS, pb::HYBRID};
  grid.workers = {2};
  pb::JobSpec job = Matmul();
  job.set_threads(3);
  Result<StudyPlan> plan = PlanJobGrid(job, grid, 8, /*threads_given=*/true);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->stages.size(), 1u);
  for (const StudyJob& point : plan->stages[0].jobs) EXPECT_EQ(point.job.threads(), 3);
  EXPECT_EQ(plan->stages[0].jobs[0].job.kernel().n(), 1000);  // no sizes: the job's own
}

TEST(JobGridTest, AnEmptyListKeepsTheJobsValue) {
  JobGrid grid;
  grid.sizes = {10, 20, 30};
  pb::JobSpec job = DefaultJob();  // loop, seq
  job.set_tasks(2);
  Result<StudyPlan> plan = PlanJobGrid(job, grid, 8, false);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->stages.size(), 3u);
  EXPECT_EQ(plan->stages[1].jobs.size(), 1u);
  EXPECT_EQ(plan->stages[1].jobs[0].job.kernel().n(), 20);
  EXPECT_EQ(plan->stages[1].jobs[0].job.mode(), pb::SEQ);
  EXPECT_EQ(plan->stages[1].jobs[0].label, "n=20, seq");
}

TEST(JobGridTest, SizesNeedAWorkloadWithASize) {
  JobGrid grid;
  grid.sizes = {10};
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  EXPECT_FALSE(PlanJobGrid(job, grid, 8, false).ok());
}

JobOutcome Timed(const pb::JobSpec& job, std::vector<int64_t> walls_ns) {
  JobOutcome outcome;
  outcome.job = job;
  outcome.trial_wall_ns = std::move(walls_ns);
  for (size_t t = 0; t < outcome.trial_wall_ns.size(); ++t) {
    for (int64_t i = 0; i < job.tasks(); ++i) {
      TaskRecord record;
      record.id = static_cast<uint64_t>(i);
      record.trial = static_cast<int32_t>(t);
      outcome.records.push_back(record);
    }
  }
  return outcome;
}

TEST(JobGridTest, SpeedupsAreAgainstSeqOfTheSameSize) {
  JobGrid grid;
  grid.sizes = {100, 200};
  grid.modes = {pb::SEQ, pb::THREADS};
  Result<StudyPlan> plan = PlanJobGrid(Matmul(), grid, 8, false);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->stages.size(), 2u);
  StudyOutcome outcome;
  // n=100: seq 4 s, threads 2 s; n=200: seq 9 s, threads 3 s (2 workers).
  outcome.stages.push_back({Timed(plan->stages[0].jobs[0].job, {4'000'000'000, 4'000'000'000}),
                            Timed(plan->stages[0].jobs[1].job, {2'000'000'000, 2'000'000'000})});
  outcome.stages.push_back({Timed(plan->stages[1].jobs[0].job, {9'000'000'000, 9'000'000'000}),
                            Timed(plan->stages[1].jobs[1].job, {3'000'000'000, 3'000'000'000})});
  const pb::JobGridReport report = SummarizeJobGrid(outcome, 8);
  EXPECT_EQ(report.workload(), "matmul");
  ASSERT_EQ(report.rows_size(), 4);
  EXPECT_EQ(report.rows(0).size(), "n=100");
  EXPECT_EQ(report.rows(3).size(), "n=200");
  EXPECT_DOUBLE_EQ(report.rows(0).summary().speedup(), 1.0);
  EXPECT_DOUBLE_EQ(report.rows(1).summary().speedup(), 2.0);
  EXPECT_DOUBLE_EQ(report.rows(1).summary().efficiency(), 1.0);  // 2× on 2 workers
  EXPECT_DOUBLE_EQ(report.rows(2).summary().speedup(), 1.0);
  EXPECT_DOUBLE_EQ(report.rows(3).summary().speedup(), 3.0);
  // No probe in the outcome: no ceiling, and no speedup beside one.
  EXPECT_EQ(report.ceiling().probes_size(), 0);
  EXPECT_EQ(report.rows(1).summary().possible_speedup(), 0);
}

TEST(JobGridTest, EverySpeedupStandsBesideTheCeiling) {
  JobGrid grid;
  grid.modes = {pb::SEQ, pb::THREADS};
  grid.workers = {2};
  Result<StudyPlan> plan = PlanJobGrid(Matmul(), grid, 2, false);
  ASSERT_TRUE(plan.ok());
  StudyOutcome outcome;
  outcome.stages.push_back({Timed(plan->stages[0].jobs[0].job, {4'000'000'000}),
                            Timed(plan->stages[0].jobs[1].job, {2'500'000'000})});
  for (const char* when : {"before", "after"}) {
    pb::CeilingProbe& probe = outcome.ceiling_probes.emplace_back();
    probe.set_when(when);
    probe.set_cores(2);
    probe.set_ceiling(1.8);
  }
  const pb::JobGridReport report = SummarizeJobGrid(outcome, 2);
  EXPECT_EQ(report.ceiling().probes_size(), 2);
  EXPECT_DOUBLE_EQ(report.ceiling().speedup(), 1.8);
  EXPECT_DOUBLE_EQ(report.rows(0).summary().possible_speedup(), 1.0);  // seq: one unit
  EXPECT_DOUBLE_EQ(report.rows(1).summary().possible_speedup(), 1.8);  // 2 threads on 2 cores
}

}  // namespace
}  // namespace parlab
