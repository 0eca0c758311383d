// What a sweep runs: the worker list and mode list it accepts and refuses,
// and the shape of each mode's job.
#include "coordinator/observe/sweep_plan.h"

#include <gtest/gtest.h>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

TEST(SweepPlanTest, WorkerListIsParsedAndSorted) {
  Result<std::vector<int>> workers = ParseWorkerList("8,1,4,2");
  ASSERT_TRUE(workers.ok()) << workers.status().message();
  EXPECT_EQ(*workers, (std::vector<int>{1, 2, 4, 8}));
  Result<std::vector<int>> one = ParseWorkerList("3");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, std::vector<int>{3});
}

TEST(SweepPlanTest, BadWorkerListsNameTheEntry) {
  struct Case {
    const char* list;
    const char* says;
  };
  for (const Case& c : {Case{"", "give a list"}, Case{"1,,2", "'' in '1,,2'"},
                        Case{"1,two", "'two'"}, Case{"0,1", "0 is out of range 1..1024"},
                        Case{"1,2048", "2048 is out of range"}, Case{"2,2", "2 is listed twice"},
                        Case{"-1", "'-1'"}, Case{"1,2,", "''"}, Case{"99999999999", "'9999"}}) {
    Result<std::vector<int>> workers = ParseWorkerList(c.list);
    ASSERT_FALSE(workers.ok()) << c.list;
    EXPECT_EQ(workers.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(workers.status().message().find("--workers"), std::string::npos);
    EXPECT_NE(workers.status().message().find(c.says), std::string::npos)
        << workers.status().message();
  }
}

TEST(SweepPlanTest, SeqIsTheReferenceNotASeries) {
  Result<std::vector<pb::Mode>> modes = ParseSweepModes("seq,threads,procs");
  ASSERT_TRUE(modes.ok());
  EXPECT_EQ(*modes, (std::vector<pb::Mode>{pb::THREADS, pb::PROCS}));
  Result<std::vector<pb::Mode>> only_seq = ParseSweepModes("seq");
  ASSERT_FALSE(only_seq.ok());
  EXPECT_NE(only_seq.status().message().find("at least one parallel mode"), std::string::npos);
}

TEST(SweepPlanTest, BadModeListsAreRefused) {
  for (const char* list : {"", "threads,fibres", "threads,threads"}) {
    Result<std::vector<pb::Mode>> modes = ParseSweepModes(list);
    ASSERT_FALSE(modes.ok()) << list;
    EXPECT_EQ(modes.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(modes.status().message().rfind("--modes: ", 0), 0u) << modes.status().message();
  }
  EXPECT_NE(ParseSweepModes("threads,fibres").status().message().find("fibres"), std::string::npos);
}

TEST(SweepPlanTest, JobsAreShapedAsCompareShapesThem) {
  pb::JobSpec base = DefaultJob();
  base.set_tasks(10);
  base.set_threads(3);
  const pb::JobSpec threads = SweepJob(base, pb::THREADS, 4, 8, false);
  EXPECT_EQ(threads.mode(), pb::THREADS);
  EXPECT_EQ(threads.workers(), 4);
  EXPECT_EQ(threads.threads(), 1);
  EXPECT_EQ(ParallelUnits(threads), 4);
  const pb::JobSpec blas = SweepJob(base, pb::BLAS, 4, 8, false);
  EXPECT_EQ(blas.threads(), 4);
  EXPECT_EQ(ParallelUnits(blas), 4);
  const pb::JobSpec hybrid = SweepJob(base, pb::HYBRID, 4, 8, false);
  EXPECT_EQ(hybrid.threads(), 2);
  EXPECT_EQ(ParallelUnits(hybrid), 8);
  EXPECT_EQ(SweepJob(base, pb::HYBRID, 16, 8, false).threads(), 1);
  // --threads given: blas and hybrid keep it.
  EXPECT_EQ(SweepJob(base, pb::BLAS, 4, 8, true).threads(), 3);
  EXPECT_EQ(SweepJob(base, pb::HYBRID, 4, 8, true).threads(), 3);
  EXPECT_EQ(SweepJob(base, pb::PROCS, 4, 8, true).threads(), 1);
  EXPECT_EQ(SweepJob(base, pb::PROCS, 4, 8, true).tasks(), 10);
}

TEST(SweepPlanTest, OneStagePerWorkerCountAndASeqReference) {
  pb::JobSpec base = DefaultJob();
  base.set_tasks(10);
  const StudyPlan plan = PlanSweep(base, {1, 4}, {pb::THREADS, pb::PROCS}, 8, false);
  ASSERT_EQ(plan.stages.size(), 2u);
  for (size_t i = 0; i < plan.stages.size(); ++i) {
    const std::vector<StudyJob>& jobs = plan.stages[i].jobs;
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].job.mode(), pb::THREADS);
    EXPECT_EQ(jobs[1].job.mode(), pb::PROCS);
    EXPECT_EQ(jobs[0].job.workers(), i == 0 ? 1 : 4);
    EXPECT_EQ(jobs[1].job.workers(), i == 0 ? 1 : 4);
  }
  ASSERT_TRUE(plan.reference.has_value());
  EXPECT_EQ(plan.reference->job.mode(), pb::SEQ);
  EXPECT_EQ(plan.reference->job.workers(), 1);
  EXPECT_EQ(plan.reference->label, "seq (reference)");
}

}  // namespace
}  // namespace parlab
