// Every mode reports its tasks as they finish (mode.h TaskDoneListener), on
// the thread that runs the trial — what moves the progress line per task —
// and the runner counts exactly a trial's tasks on the line however the mode
// reported them. No timings are asserted.
#include "coordinator/runtime/mode.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"
#include "shared/clock.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

class CountingListener final : public TaskDoneListener {
 public:
  void TasksDone(int64_t count) override {
    EXPECT_EQ(std::this_thread::get_id(), owner_) << "reported off the trial's thread";
    ++calls_;
    tasks_ += count;
  }
  int64_t calls() const { return calls_; }
  int64_t tasks() const { return tasks_; }

 private:
  std::thread::id owner_ = std::this_thread::get_id();
  int64_t calls_ = 0;
  int64_t tasks_ = 0;
};

pb::JobSpec SpinJob(pb::Mode mode) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel("spin")->Defaults();
  job.mutable_kernel()->set_us(100);
  job.set_mode(mode);
  job.set_workers(2);
  job.set_threads(1);
  job.set_tasks(24);
  job.set_warmup(0);
  job.set_trials(1);
  return job;
}

TEST(ModeTest, EveryModeReportsItsTasksAsTheyFinish) {
  for (pb::Mode mode : AllModes()) {
    SCOPED_TRACE(std::string(ModeName(mode)));
    pb::JobSpec job = SpinJob(mode);
    // The threads modes count claimed tasks every 10 ms: a trial of at least
    // 30 ms (600 × 100 µs on 2 threads) is counted at least once before its end.
    if (mode == pb::THREADS || mode == pb::GIL) job.set_tasks(600);
    ASSERT_TRUE(ValidateJob(job).ok()) << ValidateJob(job).message();
    Result<std::unique_ptr<Mode>> made = MakeMode(job);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    Mode& m = **made;
    ASSERT_TRUE(m.Start().ok());
    CountingListener listener;
    m.set_listener(&listener);
    Result<TrialRun> run = m.RunTrial(0, 0);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    // Every task is reported (a procs answer may come twice after a retry).
    EXPECT_GE(listener.tasks(), job.tasks());
    if (mode == pb::SEQ || mode == pb::BLAS) {
      EXPECT_EQ(listener.calls(), job.tasks());  // one by one
      EXPECT_EQ(listener.tasks(), job.tasks());
    } else {
      EXPECT_GE(listener.calls(), 2);  // more than once a trial
    }
    // Without a listener nothing is reported, and nothing breaks.
    const int64_t reported = listener.tasks();
    m.set_listener(nullptr);
    EXPECT_TRUE(m.RunTrial(1, static_cast<uint64_t>(job.tasks())).ok());
    EXPECT_EQ(listener.tasks(), reported);
    m.Stop();
  }
}

TEST(ModeTest, TheRunnerCountsExactlyEachTrialsTasks) {
  for (pb::Mode mode : {pb::SEQ, pb::THREADS, pb::PROCS}) {
    SCOPED_TRACE(std::string(ModeName(mode)));
    pb::JobSpec job = SpinJob(mode);
    job.set_warmup(1);
    job.set_trials(2);
    std::ostringstream sink;
    FakeClock clock;
    Progress progress(sink, /*enabled=*/false, 80, clock, JobTaskCount(job));
    Result<std::unique_ptr<JobSession>> session = JobSession::Start(job, nullptr);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    for (int trial = 1; trial <= 3; ++trial) {
      Result<bool> ran = (*session)->RunNextTrial(&progress);
      ASSERT_TRUE(ran.ok() && *ran);
      EXPECT_EQ(progress.done(), trial * job.tasks());
    }
    EXPECT_EQ(progress.done(), progress.total());
    ASSERT_TRUE((*session)->Finish().ok());
  }
}

}  // namespace
}  // namespace parlab
