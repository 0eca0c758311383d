// The sizing rule of task_grain.h on plain numbers: no clock, no kernel run.

#include "coordinator/runtime/task_grain.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

GrainInput Input(double unit_s, int64_t given, double reference_s, double dispatch_s) {
  GrainInput input;
  input.unit_s = unit_s;
  input.given_size = given;
  input.reference_s = reference_s;
  input.dispatch_s = dispatch_s;
  return input;
}

TEST(TaskGrainTest, FloorIsTheMinimumOrAHundredTimesDispatch) {
  EXPECT_DOUBLE_EQ(GrainFloor(0), kMinGrainS);
  EXPECT_DOUBLE_EQ(GrainFloor(45e-6), kMinGrainS);  // 4.5 ms < 20 ms
  EXPECT_DOUBLE_EQ(GrainFloor(1e-3), 0.1);          // 100 × 1 ms
  EXPECT_DOUBLE_EQ(GrainFloor(-1), kMinGrainS);     // a nonsense figure does not lower it
}

// The machine: 0.5 ns an iteration natively, CPython's task 38 ms,
// a blocking wake-up ~45 µs. The notebook's n = 1,000,000 lasts 0.5 ms.
TEST(TaskGrainTest, TheNotebooksLoopGrowsToCPythonsTaskTime) {
  const Grain grain = ChooseGrain(Input(0.5e-9, 1'000'000, 0.038, 45e-6));
  EXPECT_EQ(grain.basis, GrainBasis::kReference);
  EXPECT_EQ(grain.size, 76'000'000);  // 0.038 / 0.5e-9, two significant digits
  EXPECT_DOUBLE_EQ(grain.target_s, 0.038);
  EXPECT_GE(grain.task_s, grain.target_s);
  EXPECT_GE(grain.task_s, grain.floor_s);
}

TEST(TaskGrainTest, WithoutPythonTheFloorDecides) {
  const Grain minimum = ChooseGrain(Input(0.5e-9, 1'000'000, 0, 45e-6));
  EXPECT_EQ(minimum.basis, GrainBasis::kMinimum);
  EXPECT_EQ(minimum.size, 40'000'000);
  EXPECT_GE(minimum.task_s, kMinGrainS);

  // Dispatch of 1 ms (an overloaded VM): 100 × it beats the 20 ms minimum.
  const Grain dispatch = ChooseGrain(Input(0.5e-9, 1'000'000, 0, 1e-3));
  EXPECT_EQ(dispatch.basis, GrainBasis::kDispatch);
  EXPECT_DOUBLE_EQ(dispatch.floor_s, 0.1);
  EXPECT_EQ(dispatch.size, 200'000'000);
}

TEST(TaskGrainTest, APythonTaskShorterThanTheFloorDoesNotLowerIt) {
  const Grain grain = ChooseGrain(Input(1e-9, 1000, 0.005, 10e-6));
  EXPECT_EQ(grain.basis, GrainBasis::kMinimum);
  EXPECT_DOUBLE_EQ(grain.target_s, kMinGrainS);
  EXPECT_EQ(grain.size, 20'000'000);
}

TEST(TaskGrainTest, AGivenSizeThatAlreadyReachesTheTargetIsKept) {
  // 5,000,000 odd-sized units of 10 ns: 50 ms, more than the 20 ms floor.
  const Grain grain = ChooseGrain(Input(10e-9, 5'123'457, 0, 45e-6));
  EXPECT_EQ(grain.basis, GrainBasis::kGiven);
  EXPECT_EQ(grain.size, 5'123'457);  // not rounded, not shrunk
}

TEST(TaskGrainTest, SizesRoundUpToTwoSignificantDigitsAndNeverFallShort) {
  for (double unit_s : {0.3e-9, 0.37e-9, 1.1e-9, 7e-9, 1e-6, 3.3e-6}) {
    for (double reference_s : {0.0, 0.021, 0.0383, 0.19}) {
      const Grain grain = ChooseGrain(Input(unit_s, 0, reference_s, 30e-6));
      EXPECT_GE(static_cast<double>(grain.size) * unit_s, grain.target_s)
          << unit_s << " " << reference_s;
      // At most 10% (one step of the second digit) above what was needed.
      EXPECT_LE(static_cast<double>(grain.size) * unit_s, grain.target_s * 1.1 + unit_s)
          << unit_s << " " << reference_s;
    }
  }
}

TEST(TaskGrainTest, TheSizeIsCapped) {
  const Grain grain = ChooseGrain(Input(1e-12, 0, 10, 0));
  EXPECT_EQ(grain.size, kMaxGrainSize);
}

TEST(TaskGrainTest, TheReasonStatesTheFigures) {
  const GrainInput input = Input(0.5e-9, 1'000'000, 0.038, 45e-6);
  const std::string why = DescribeGrain(ChooseGrain(input), input, "the Python task");
  for (const char* part : {"38.0 ms", "the Python task here", "20.0 ms", "45.0 µs", "100×"}) {
    EXPECT_NE(why.find(part), std::string::npos) << part << " in " << why;
  }
  EXPECT_EQ(FormatGrainSize(76'000'000), "76,000,000");
  EXPECT_EQ(FormatGrainSize(999), "999");
}

TEST(TaskGrainTest, LoopAndSpinAreLoopLikeOthersAreNot) {
  KernelParams loop;
  loop.set_kernel("loop");
  loop.set_n(5);
  KernelParams spin;
  spin.set_kernel("spin");
  spin.set_us(7);
  KernelParams matmul;
  matmul.set_kernel("matmul");
  EXPECT_TRUE(IsLoopLike(loop));
  EXPECT_TRUE(IsLoopLike(spin));
  EXPECT_FALSE(IsLoopLike(matmul));
  EXPECT_EQ(GrainSize(loop), 5);
  EXPECT_EQ(GrainSize(spin), 7);
  EXPECT_EQ(GrainSizeName(spin), "us");
  EXPECT_EQ(WithGrainSize(loop, 9).n(), 9);
  EXPECT_EQ(WithGrainSize(spin, 9).us(), 9);
}

}  // namespace
}  // namespace parlab
