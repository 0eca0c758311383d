#include "shared/platform/affinity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace parlab {
namespace {

TEST(AffinityTest, AllowedCpusAreAscendingAndNotEmpty) {
  Result<std::vector<int>> cpus = AllowedCpus();
  ASSERT_TRUE(cpus.ok()) << cpus.status().ToString();
  ASSERT_FALSE(cpus->empty());
  EXPECT_TRUE(std::is_sorted(cpus->begin(), cpus->end()));
}

// On its own thread, so the test's main thread keeps its mask whatever happens.
TEST(AffinityTest, PinThenRestore) {
  std::thread([] {
    const Result<std::vector<int>> original = AllowedCpus();
    ASSERT_TRUE(original.ok());
    const int last = original->back();
    ASSERT_TRUE(PinToCpu(last).ok());
    EXPECT_EQ(*AllowedCpus(), std::vector<int>{last});
    EXPECT_EQ(CurrentCpu(), last);  // the mask holds one CPU: we run there
    ASSERT_TRUE(SetAllowedCpus(*original).ok());
    EXPECT_EQ(*AllowedCpus(), *original);
  }).join();
}

TEST(AffinityTest, ImpossibleRequestsAreInvalidArguments) {
  EXPECT_EQ(PinToCpu(-1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PinToCpu(1 << 20).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SetAllowedCpus({}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parlab
