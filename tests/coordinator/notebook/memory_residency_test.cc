#include "coordinator/notebook/memory_residency.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace parlab {
namespace {

constexpr const char* kStatus =
    "Name:\tparlab\nVmPeak:\t  123456 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n"
    "VmRSSX:\t 7 kB\nBad:\t abc kB\nNoUnit:\t 12\n";

TEST(MemoryResidencyTest, ParsesStatusFieldsInBytes) {
  EXPECT_EQ(ParseStatusBytes(kStatus, "VmHWM"), 2048 * 1024);
  EXPECT_EQ(ParseStatusBytes(kStatus, "VmRSS"), 1024 * 1024);  // not VmRSSX
  EXPECT_EQ(ParseStatusBytes(kStatus, "VmRSSX"), 7 * 1024);
  EXPECT_EQ(ParseStatusBytes(kStatus, "VmSwap"), std::nullopt);
  EXPECT_EQ(ParseStatusBytes(kStatus, "Bad"), std::nullopt);
  EXPECT_EQ(ParseStatusBytes(kStatus, "NoUnit"), std::nullopt);
  EXPECT_EQ(ParseStatusBytes("", "VmRSS"), std::nullopt);
}

TEST(MemoryResidencyTest, ReadsThisProcess) {
  std::optional<int64_t> rss = ReadStatusBytes("VmRSS");
  std::optional<int64_t> hwm = ReadStatusBytes("VmHWM");
  ASSERT_TRUE(rss.has_value());
  ASSERT_TRUE(hwm.has_value());
  EXPECT_GT(*rss, 0);
  EXPECT_GE(*hwm, *rss);
}

TEST(MemoryResidencyTest, TouchedMemoryIsResident) {
  std::vector<char> block(1 << 20);
  std::memset(block.data(), 1, block.size());
  std::optional<size_t> resident = ResidentBytes(block.data(), block.size());
  ASSERT_TRUE(resident.has_value());
  EXPECT_GE(*resident, block.size());
  EXPECT_LE(*resident, block.size() + 2 * 4096 * 16);  // at most the partial pages at each end
}

TEST(MemoryResidencyTest, MatrixTypesMeasureEveryType) {
  const std::vector<MatrixResidency> measured = MeasureMatrixTypes(300);
  ASSERT_EQ(measured.size(), 5u);
  const size_t widths[] = {2, 4, 8, 4, 8};
  for (size_t i = 0; i < measured.size(); ++i) {
    EXPECT_EQ(measured[i].eigen_bytes, 90'000 * widths[i]);
    ASSERT_TRUE(measured[i].resident_known);
    EXPECT_GE(measured[i].resident_bytes, measured[i].eigen_bytes);
  }
}

}  // namespace
}  // namespace parlab
