#include "coordinator/report/openblas_core.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

const std::set<std::string> kAvx512 = {"sse4_2", "avx", "avx2", "fma", "avx512f"};
const std::set<std::string> kAvx2 = {"sse4_2", "avx", "avx2", "fma"};

TEST(OpenBlasCoreTest, BestCoreFollowsTheWidestVectors) {
  EXPECT_EQ(BestOpenBlasCore(kAvx512), "SkylakeX");
  EXPECT_EQ(BestOpenBlasCore(kAvx2), "Haswell");
  // Haswell's kernels are FMA kernels: AVX2 alone is not enough.
  EXPECT_EQ(BestOpenBlasCore({"avx", "avx2"}), "");
  EXPECT_EQ(BestOpenBlasCore({"sse4_2", "avx"}), "");
  EXPECT_EQ(BestOpenBlasCore({}), "");
}

TEST(OpenBlasCoreTest, UpgradesOnlyAPickNarrowerThanTheCpu) {
  // Debian's 0.3.21 on a Xeon it does not know: Prescott.
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, "Prescott"), "SkylakeX");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, "Haswell"), "SkylakeX");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx2, "Prescott"), "Haswell");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx2, "Sandybridge"), "Haswell");
  // Already as wide as the CPU: keep OpenBLAS's own (Zen's kernels are Haswell's).
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx2, "Zen"), "");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx2, "Haswell"), "");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, "SkylakeX"), "");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, "COOPERLAKE"), "");
  // Never a core the CPU cannot run (SIGILL), and nothing for an unknown pick.
  EXPECT_EQ(OpenBlasCoreUpgrade({"sse4_2", "avx"}, "Prescott"), "");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, "unknown"), "");
  EXPECT_EQ(OpenBlasCoreUpgrade(kAvx512, ""), "");
}

TEST(OpenBlasCoreTest, ChoiceSaysWhoChose) {
  EXPECT_EQ(DescribeOpenBlasCoreChoice(nullptr, nullptr), "OpenBLAS's own choice");
  EXPECT_EQ(DescribeOpenBlasCoreChoice("", nullptr), "OpenBLAS's own choice");
  EXPECT_EQ(DescribeOpenBlasCoreChoice("Haswell", nullptr),
            "OPENBLAS_CORETYPE=Haswell from the environment");
  EXPECT_EQ(DescribeOpenBlasCoreChoice("SkylakeX", "Prescott"),
            "set by parlab (OPENBLAS_CORETYPE=SkylakeX): OpenBLAS alone chose Prescott");
}

}  // namespace
}  // namespace parlab
