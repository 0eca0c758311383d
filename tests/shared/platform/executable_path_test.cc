#include "shared/platform/executable_path.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(ExecutablePathTest, SelfIsThisTestBinary) {
  Result<std::string> self = SelfExecutablePath();
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  const std::string name = "/executable_path_test";
  ASSERT_GE(self->size(), name.size());
  EXPECT_EQ(self->substr(self->size() - name.size()), name);
  EXPECT_EQ(ExecutableDir() + name, *self);
}

TEST(ExecutablePathTest, FindsAProgramOnPath) {
  std::optional<std::string> sh = FindOnPath("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_EQ(sh->substr(sh->size() - 3), "/sh");
}

TEST(ExecutablePathTest, AMissingProgramIsNotOnPath) {
  EXPECT_FALSE(FindOnPath("parlab-no-such-program").has_value());
}

}  // namespace
}  // namespace parlab
