#include "coordinator/runtime/job_spec.h"

#include <gtest/gtest.h>

#include "coordinator/runtime/mpi_launch.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

pb::JobSpec ValidJob() {
  pb::JobSpec job = DefaultJob();
  job.set_tasks(4);
  return job;
}

TEST(JobSpecTest, DefaultJobWithTasksIsValid) { EXPECT_TRUE(ValidateJob(ValidJob()).ok()); }

TEST(JobSpecTest, WorkersOutOfRangeNamesTheField) {
  pb::JobSpec job = ValidJob();
  job.set_workers(0);
  const Status s = ValidateJob(job);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "workers must be 1..1024, got 0");
  job.set_workers(5000);
  EXPECT_EQ(ValidateJob(job).message(), "workers must be 1..1024, got 5000");
}

TEST(JobSpecTest, TasksTrialsAndSwitchIntervalAreChecked) {
  pb::JobSpec job = ValidJob();
  job.set_tasks(0);
  EXPECT_EQ(ValidateJob(job).message(), "tasks must be 1..100000000, got 0");
  job = ValidJob();
  job.set_trials(0);
  EXPECT_EQ(ValidateJob(job).message(), "trials must be 1..100000, got 0");
  job = ValidJob();
  job.set_switch_interval_ms(-1);
  EXPECT_NE(ValidateJob(job).message().find("switch-interval"), std::string::npos);
}

TEST(JobSpecTest, UnknownWorkloadListsTheKnownOnes) {
  pb::JobSpec job = ValidJob();
  job.mutable_kernel()->set_kernel("fft");
  const Status s = ValidateJob(job);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown workload 'fft'"), std::string::npos);
  EXPECT_NE(s.message().find("matmul"), std::string::npos);
}

TEST(JobSpecTest, KernelParametersAreValidated) {
  pb::JobSpec job = ValidJob();
  job.mutable_kernel()->set_kernel("matmul");
  job.mutable_kernel()->set_n(0);
  const Status s = ValidateJob(job);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("n"), std::string::npos);
}

TEST(JobSpecTest, PayloadsBeyondWhatSocketsCarryAreRefusedUpFront) {
  pb::JobSpec job = ValidJob();
  *job.mutable_kernel() = FindKernel("matmul")->Defaults();
  job.mutable_kernel()->set_n(12000);  // A and B: 2.1 GiB in
  job.set_mode(pb::PROCS);
  job.set_transport(pb::UDS);
  const Status s = ValidateJob(job);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--transport uds copies at most 1024 MiB"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("needs 2197 MiB"), std::string::npos) << s.message();
}

// MPI cannot replace a rank: what would replace one is refused, and a build
// without MPI says how to get it.
TEST(JobSpecTest, MpiRefusesWhatWouldReplaceARank) {
  pb::JobSpec job = ValidJob();
  job.set_mode(pb::PROCS);
  job.set_transport(pb::MPI);
  if (!MpiTransportBuilt()) {
    EXPECT_NE(ValidateJob(job).message().find("libopenmpi-dev"), std::string::npos);
    return;
  }
  EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  pb::JobSpec timed = job;
  timed.set_task_timeout_ms(500);
  EXPECT_NE(ValidateJob(timed).message().find("--task-timeout"), std::string::npos);
  pb::JobSpec hung = job;
  hung.mutable_fault()->set_action(pb::FAULT_HANG);
  EXPECT_NE(ValidateJob(hung).message().find("hang"), std::string::npos);
  pb::JobSpec killed = job;
  killed.mutable_fault()->set_action(pb::FAULT_KILL);
  EXPECT_TRUE(ValidateJob(killed).ok());
}

TEST(JobSpecTest, DispatchersAreCheckedWhereSeveralCanWork) {
  pb::JobSpec job = ValidJob();
  job.set_mode(pb::PROCS);
  job.set_workers(4);
  job.set_dispatchers(4);
  EXPECT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
  job.set_dispatchers(5);
  EXPECT_EQ(ValidateJob(job).message(),
            "dispatchers must be 1..4 (at most one per worker) or auto, got 5");
  job.set_dispatchers(-7);
  EXPECT_EQ(ValidateJob(job).code(), StatusCode::kInvalidArgument);
  job.set_dispatchers(2);
  job.set_transport(pb::UDS);
  EXPECT_NE(ValidateJob(job).message().find("need --transport shm, got UDS"), std::string::npos)
      << ValidateJob(job).message();
  job.set_dispatchers(kAutoDispatchers);
  EXPECT_NE(ValidateJob(job).message().find("--transport shm"), std::string::npos);
  job.set_transport(pb::SHM);
  job.mutable_command()->set_template_("echo {}");
  EXPECT_NE(ValidateJob(job).message().find("command job"), std::string::npos)
      << ValidateJob(job).message();
}

TEST(JobSpecTest, AutoDispatchersTakeTheCoresTheWorkersLeaveAtMostOnePerWorker) {
  pb::JobSpec job = ValidJob();
  job.set_mode(pb::PROCS);
  job.set_workers(1);
  EXPECT_EQ(DispatchersFor(job), 1);  // unset: the coordinator's thread
  job.set_dispatchers(3);
  EXPECT_EQ(DispatchersFor(job), 3);
  job.set_dispatchers(kAutoDispatchers);
  EXPECT_EQ(DispatchersFor(job), 1);  // one worker: one dispatcher, whatever the cores
  job.set_workers(1024);
  EXPECT_EQ(DispatchersFor(job), 1);  // no core left free: still one
}

TEST(JobSpecTest, ModesParseAndUnknownModeIsNamed) {
  Result<std::vector<pb::Mode>> modes = ParseModeList("seq,threads,gil,blas");
  ASSERT_TRUE(modes.ok());
  EXPECT_EQ(modes->size(), 4u);
  Result<std::vector<pb::Mode>> bad = ParseModeList("seq,fibers");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'fibers'"), std::string::npos);
  for (pb::Mode mode : AllModes()) EXPECT_EQ(*ParseMode(ModeName(mode)), mode);
}

TEST(JobSpecTest, ParallelUnitsPerMode) {
  pb::JobSpec job = ValidJob();
  job.set_workers(3);
  job.set_threads(4);
  job.set_mode(pb::SEQ);
  EXPECT_EQ(ParallelUnits(job), 1);
  job.set_mode(pb::THREADS);
  EXPECT_EQ(ParallelUnits(job), 3);
  job.set_mode(pb::BLAS);
  EXPECT_EQ(ParallelUnits(job), 4);
  job.set_mode(pb::HYBRID);
  EXPECT_EQ(ParallelUnits(job), 12);
}

}  // namespace
}  // namespace parlab
