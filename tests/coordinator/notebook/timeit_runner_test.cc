#include "coordinator/notebook/timeit_runner.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "coordinator/report/progress.h"

namespace parlab {
namespace {

// A fake workload of `per_call_s` seconds per call: records the loop counts
// autorange asks for.
struct FakeTimer {
  double per_call_s;
  std::vector<int64_t> asked;
  double operator()(int64_t loops) {
    asked.push_back(loops);
    return per_call_s * static_cast<double>(loops);
  }
};

TEST(TimeitRunnerTest, AutorangeStepsOneTwoFive) {
  FakeTimer timer{0.001, {}};
  const int64_t loops = AutorangeLoops(std::ref(timer), 0.2);
  EXPECT_EQ(loops, 200);  // 200 × 1 ms = 0.2 s, the first count that reaches it
  EXPECT_EQ(timer.asked, (std::vector<int64_t>{1, 2, 5, 10, 20, 50, 100, 200}));
}

TEST(TimeitRunnerTest, AutorangeStopsAtOneForASlowWorkload) {
  FakeTimer timer{0.5, {}};
  EXPECT_EQ(AutorangeLoops(std::ref(timer), 0.2), 1);
  EXPECT_EQ(timer.asked.size(), 1u);
}

TEST(TimeitRunnerTest, AutorangeJustBelowTheTargetGoesOn) {
  FakeTimer timer{0.0399, {}};  // 5 loops = 0.1995 s: not yet
  EXPECT_EQ(AutorangeLoops(std::ref(timer), 0.2), 10);
}

TEST(TimeitRunnerTest, AutorangeEndsForAFreeWorkload) {
  FakeTimer timer{0.0, {}};
  EXPECT_EQ(AutorangeLoops(std::ref(timer), 0.2), 10'000'000'000);
}

TEST(TimeitRunnerTest, DescribesOnlyTheParametersSet) {
  KernelParams params;
  params.set_kernel("pca");
  params.set_rows(1000);
  params.set_cols(100);
  params.set_k(10);
  params.set_seed(1);
  EXPECT_EQ(DescribeWorkload(params), "pca rows=1000 cols=100 k=10");
}

TEST(TimeitRunnerTest, RunsARealWorkloadConsistently) {
  TimeitOptions options;
  options.params = FindKernel("spin")->Defaults();
  options.params.set_us(20);
  options.repeats = 3;
  options.min_repeat_s = 0.005;
  Result<pb::TimeitReport> result = Timeit(options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_GE(result->loops(), 1);
  ASSERT_EQ(result->per_loop_s_size(), 3);
  EXPECT_LE(result->best_s(), result->mean_s());
  EXPECT_GE(result->worst_s(), result->mean_s());
  EXPECT_EQ(result->workload(), "spin us=20");
}

TEST(TimeitRunnerTest, FixedLoopCountIsKept) {
  TimeitOptions options;
  options.params = FindKernel("noop")->Defaults();
  options.repeats = 2;
  options.loops = 7;
  Result<pb::TimeitReport> result = Timeit(options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->loops(), 7);
}

TEST(TimeitRunnerTest, ProgressCountsEveryRepeatsCalls) {
  TimeitOptions options;
  options.params = FindKernel("noop")->Defaults();
  options.repeats = 3;
  options.loops = 7;
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, /*enabled=*/false, 80, clock, 0);
  options.progress = &progress;
  Result<pb::TimeitReport> result = Timeit(options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(progress.done(), 21);
  EXPECT_EQ(progress.total(), 21);
}

TEST(TimeitRunnerTest, BadOptionsNameTheFlag) {
  TimeitOptions options;
  options.params = FindKernel("noop")->Defaults();
  options.repeats = 0;
  Result<pb::TimeitReport> result = Timeit(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("--repeats"), std::string::npos);
  options.repeats = 1;
  options.threads = 0;
  result = Timeit(options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("--threads"), std::string::npos);
}

}  // namespace
}  // namespace parlab
