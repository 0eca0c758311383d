// What `parlab metg` plans and what one size's outcome says: task counts per
// size, one stage per size with seq last, labels that say the size, and a
// point's efficiency from its walls. Plans and hand-made outcomes only:
// nothing runs, no timing.
#include "coordinator/observe/metg_study.h"

#include <gtest/gtest.h>

#include "coordinator/observe/metg_analysis.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

pb::JobSpec SpinBase() {
  pb::JobSpec base = DefaultJob();
  *base.mutable_kernel() = FindKernel("spin")->Defaults();
  base.set_warmup(1);
  base.set_trials(3);
  return base;
}

TEST(MetgStudyTest, TasksFillATrialWithinBounds) {
  // 20 ms on 4 units of 100 µs tasks: about 800 tasks, a multiple of the units.
  const int64_t tasks = MetgTasksFor(100, 4, 0.02);
  EXPECT_NEAR(static_cast<double>(tasks), 800, 4);
  EXPECT_EQ(tasks % 4, 0);
  EXPECT_EQ(MetgTasksFor(10000, 4, 0.02), 16);  // at least 4 per unit
  EXPECT_EQ(MetgTasksFor(1, 4, 0.02), 5000);    // at most 5,000
  EXPECT_EQ(MetgTasksFor(1, 3, 0.02) % 3, 0);
}

TEST(MetgStudyTest, OneStagePerSizeWithSeqLast) {
  const StudyPlan plan = PlanMetg(SpinBase(), {pb::THREADS, pb::PROCS}, {1, 2, 4}, 2, 8, 0.02);
  ASSERT_EQ(plan.stages.size(), 3u);
  EXPECT_FALSE(plan.reference.has_value());
  const std::vector<StudyJob>& jobs = plan.stages[2].jobs;
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].job.mode(), pb::THREADS);
  EXPECT_EQ(jobs[1].job.mode(), pb::PROCS);
  EXPECT_EQ(jobs[2].job.mode(), pb::SEQ);
  for (const StudyJob& job : jobs) {
    EXPECT_EQ(job.job.kernel().us(), 4);
    EXPECT_TRUE(ValidateJob(job.job).ok()) << job.label;
  }
  EXPECT_EQ(jobs[0].label, "threads, 2 workers, 4 us tasks");
  EXPECT_EQ(jobs[2].label, "seq, 4 us tasks");
  EXPECT_EQ(jobs[0].job.tasks(), MetgTasksFor(4, 2, 0.02));
  EXPECT_EQ(jobs[2].job.tasks(), MetgTasksFor(4, 1, 0.02));
}

TEST(MetgStudyTest, APointIsItsWallAgainstSeqsDuration) {
  JobOutcome outcome;
  outcome.job = MetgJob(SpinBase(), pb::THREADS, 100, 2, 8, 0.02);
  outcome.trial_wall_ns = {100'000'000, 300'000'000};  // mean 0.2 s
  for (int64_t ns : {10, 30, 20}) {
    TaskRecord record;
    record.t.compute_start_ns = 0;
    record.t.compute_end_ns = ns;
    outcome.records.push_back(record);
  }
  const double task_s = 1e-4;
  const pb::MetgPoint point = MetgPointOf(outcome, task_s);
  EXPECT_EQ(point.spin_us(), 100);
  EXPECT_EQ(point.tasks(), outcome.job.tasks());
  EXPECT_DOUBLE_EQ(point.wall_mean_s(), 0.2);
  EXPECT_DOUBLE_EQ(point.task_duration_s(), task_s);
  EXPECT_DOUBLE_EQ(point.efficiency(), TaskEfficiency(outcome.job.tasks(), task_s, 2, 0.2));
  EXPECT_DOUBLE_EQ(point.compute_median_s(), 20e-9);
  EXPECT_DOUBLE_EQ(MeanComputeS(outcome.records), 20e-9);
  EXPECT_EQ(MeanComputeS({}), 0);
}

}  // namespace
}  // namespace parlab
