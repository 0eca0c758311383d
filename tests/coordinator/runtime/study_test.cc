// The shared study path of compare, sweep and metg: calibration of jobs
// without a task count, validation naming the job, the stage resource check,
// stages run in turns with a reference across them, skipped jobs, and the
// progress count. In-process seq and threads modes on noop tasks: quick, no
// timing checked.
#include "coordinator/runtime/study.h"

#include <gtest/gtest.h>

#include <sstream>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

pb::JobSpec NoopJob(pb::Mode mode, int workers, int64_t tasks = 8) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("noop")->Defaults();
  job.set_mode(mode);
  job.set_workers(workers);
  job.set_tasks(tasks);
  job.set_warmup(1);
  job.set_trials(2);
  return job;
}

// A machine with room for everything, so no test depends on this one's.
MachineResources RoomyMachine() {
  MachineResources machine;
  machine.available_memory_bytes = 64 * kGiB;
  machine.shm = {true, 64 * kGiB};
  return machine;
}

// A silent progress line the test can read back.
struct QuietProgress {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress{sink, /*enabled=*/false, 80, clock, 0};
};

StudyOptions Options(Progress& progress) {
  StudyOptions options;
  options.progress = &progress;
  options.machine = RoomyMachine();
  return options;
}

TEST(StudyTest, OneStageRunsEveryJobAndCountsEveryTask) {
  QuietProgress quiet;
  StudyPlan plan;
  plan.stages.push_back({{{NoopJob(pb::SEQ, 1), ""}, {NoopJob(pb::THREADS, 2), ""}}});
  Result<StudyOutcome> outcome = RunStudy(plan, Options(quiet.progress));
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  ASSERT_EQ(outcome->stages.size(), 1u);
  ASSERT_EQ(outcome->stages[0].size(), 2u);
  EXPECT_EQ(outcome->stages[0][0].job.mode(), pb::SEQ);
  EXPECT_EQ(outcome->stages[0][1].job.mode(), pb::THREADS);
  for (const JobOutcome& job : outcome->stages[0]) {
    EXPECT_EQ(job.trial_wall_ns.size(), 2u);  // the warmup is not kept
    EXPECT_EQ(job.records.size(), 16u);
  }
  EXPECT_FALSE(outcome->reference.has_value());
  EXPECT_EQ(quiet.progress.total(), 2 * 8 * 3);
  EXPECT_EQ(quiet.progress.done(), quiet.progress.total());
  EXPECT_EQ(quiet.sink.str(), "");
}

TEST(StudyTest, CalibrationGivesEveryUnsizedJobOneCount) {
  QuietProgress quiet;
  StudyPlan plan;
  plan.stages.push_back({{{NoopJob(pb::SEQ, 1, 0), ""}, {NoopJob(pb::THREADS, 3, 0), ""}}});
  plan.stages.push_back({{{NoopJob(pb::THREADS, 1, 5), ""}}});  // sized: kept as it is
  StudyOptions options = Options(quiet.progress);
  options.calibration = Calibration{0.001, 2};
  Result<std::unique_ptr<Study>> study = Study::Prepare(plan, options);
  ASSERT_TRUE(study.ok()) << study.status().message();
  const StudyPlan& sized = (*study)->plan();
  const int64_t tasks = sized.stages[0].jobs[0].job.tasks();
  EXPECT_GT(tasks, 0);
  EXPECT_EQ(sized.stages[0].jobs[1].job.tasks(), tasks);
  // A multiple of the most workers in the plan, as CalibrateTasks rounds it.
  EXPECT_EQ(tasks % 3, 0);
  EXPECT_EQ(sized.stages[1].jobs[0].job.tasks(), 5);
  EXPECT_EQ(quiet.progress.total(), (2 * tasks + 5) * 3);
}

TEST(StudyTest, AnInvalidJobIsNamedAndNothingRuns) {
  QuietProgress quiet;
  StudyPlan plan;
  pb::JobSpec bad = NoopJob(pb::THREADS, 2);
  bad.set_trials(0);
  plan.stages.push_back({{{NoopJob(pb::SEQ, 1), ""}}});
  plan.stages.push_back({{{bad, "threads at the end"}}});
  Result<std::unique_ptr<Study>> study = Study::Prepare(plan, Options(quiet.progress));
  ASSERT_FALSE(study.ok());
  EXPECT_EQ(study.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(study.status().message().rfind("threads at the end: trials", 0), 0u)
      << study.status().message();
  EXPECT_EQ(quiet.progress.total(), 0);
}

TEST(StudyTest, WithoutALabelTheJobLabelNamesIt) {
  QuietProgress quiet;
  StudyPlan plan;
  pb::JobSpec bad = NoopJob(pb::THREADS, 2, 0);  // no tasks and no calibration asked
  plan.stages.push_back({{{bad, ""}}});
  Result<std::unique_ptr<Study>> study = Study::Prepare(plan, Options(quiet.progress));
  ASSERT_FALSE(study.ok());
  EXPECT_EQ(study.status().message().rfind("threads, 2 workers: tasks", 0), 0u)
      << study.status().message();
}

TEST(StudyTest, AStageMustFitTheMachineTogether) {
  pb::JobSpec job = NoopJob(pb::THREADS, 2);
  *job.mutable_kernel() = FindKernel("matmul")->Defaults();
  job.mutable_kernel()->set_n(2000);  // 30.5 MiB a matrix: 2 in, 1 out a worker: 122 MiB
  StudyPlan plan;
  plan.stages.push_back({{{job, ""}, {job, ""}, {job, ""}}});
  QuietProgress quiet;
  StudyOptions options = Options(quiet.progress);
  options.machine->available_memory_bytes = 200 << 20;  // one job fits, three do not
  Result<std::unique_ptr<Study>> study = Study::Prepare(plan, options);
  ASSERT_FALSE(study.ok());
  EXPECT_EQ(study.status().code(), StatusCode::kResourceExhausted);
  // The same jobs in stages of their own are alive one at a time.
  StudyPlan apart;
  for (int i = 0; i < 3; ++i) apart.stages.push_back({{{job, ""}}});
  EXPECT_TRUE(Study::Prepare(apart, options).ok());
}

TEST(StudyTest, TheReferenceTakesATurnInEveryRoundOfEveryStage) {
  QuietProgress quiet;
  StudyPlan plan;
  plan.stages.push_back({{{NoopJob(pb::THREADS, 1), ""}}});
  plan.stages.push_back({{{NoopJob(pb::THREADS, 2), ""}, {NoopJob(pb::THREADS, 3), ""}}});
  plan.reference = StudyJob{NoopJob(pb::SEQ, 1), "seq (reference)"};
  Result<StudyOutcome> outcome = RunStudy(plan, Options(quiet.progress));
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  ASSERT_EQ(outcome->stages.size(), 2u);
  EXPECT_EQ(outcome->stages[1].size(), 2u);
  ASSERT_TRUE(outcome->reference.has_value());
  // Two stages of 3 rounds, its one warmup included: 5 measured trials.
  EXPECT_EQ(outcome->reference->job.trials(), 5);
  EXPECT_EQ(outcome->reference->trial_wall_ns.size(), 5u);
  EXPECT_EQ(quiet.progress.done(), quiet.progress.total());
  EXPECT_EQ(quiet.progress.total(), (3 + 6 + 6) * 8);
}

TEST(StudyTest, SkippedJobsNeitherRunNorCount) {
  QuietProgress quiet;
  StudyPlan plan;
  for (int stage = 0; stage < 3; ++stage) {
    plan.stages.push_back({{{NoopJob(pb::THREADS, 2), ""}, {NoopJob(pb::SEQ, 1), ""}}});
  }
  Result<std::unique_ptr<Study>> study = Study::Prepare(plan, Options(quiet.progress));
  ASSERT_TRUE(study.ok()) << study.status().message();
  Study& running = **study;
  EXPECT_EQ(quiet.progress.total(), 6 * 24);

  Result<StageOutcome> first = running.RunStage(0);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE((*first)[0].has_value());
  ASSERT_TRUE((*first)[1].has_value());
  running.Skip(1, 0);
  running.Skip(2, 0);
  running.Skip(2, 1);
  EXPECT_EQ(quiet.progress.total(), 3 * 24);

  Result<StageOutcome> second = running.RunStage(1);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE((*second)[0].has_value());
  ASSERT_TRUE((*second)[1].has_value());
  EXPECT_EQ((*second)[1]->records.size(), 16u);
  Result<StageOutcome> third = running.RunStage(2);  // all skipped: runs nothing
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE((*third)[0].has_value());
  EXPECT_FALSE((*third)[1].has_value());

  Result<std::optional<JobOutcome>> finished = running.Finish();
  ASSERT_TRUE(finished.ok());
  EXPECT_FALSE(finished->has_value());  // no reference
  EXPECT_EQ(quiet.progress.done(), quiet.progress.total());
}

TEST(StudyTest, OnStderrWhenNoProgressIsGiven) {
  // The default progress line: silent here (stderr is not a terminal under
  // ctest), and the study still runs.
  StudyOptions options;
  options.machine = RoomyMachine();
  StudyPlan plan;
  plan.stages.push_back({{{NoopJob(pb::SEQ, 1), ""}}});
  Result<StudyOutcome> outcome = RunStudy(plan, options);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_EQ(outcome->stages[0][0].records.size(), 16u);
}

}  // namespace
}  // namespace parlab
