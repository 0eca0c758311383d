#include "shared/platform/system_memory.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(SystemMemoryTest, TheRootFilesystemHasAKnownSize) {
  const FreeSpace root = FreeBytesOn("/");
  ASSERT_TRUE(root.known);
  EXPECT_GT(root.total_bytes, 0u);
  EXPECT_LE(root.bytes, root.total_bytes);
}

TEST(SystemMemoryTest, AMissingPathIsUnknown) {
  const FreeSpace missing = FreeBytesOn("/parlab-no-such-directory/x");
  EXPECT_FALSE(missing.known);
  EXPECT_EQ(missing.bytes, 0u);
  EXPECT_EQ(missing.total_bytes, 0u);
}

TEST(SystemMemoryTest, AvailableMemoryIsReadFromProc) { EXPECT_GT(AvailableMemoryBytes(), 0u); }

}  // namespace
}  // namespace parlab
