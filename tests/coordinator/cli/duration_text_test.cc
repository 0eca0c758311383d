#include "coordinator/cli/duration_text.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(DurationTextTest, ReadsEveryUnit) {
  EXPECT_EQ(*ParseDuration("60s"), 60'000'000'000);
  EXPECT_EQ(*ParseDuration("500ms"), 500'000'000);
  EXPECT_EQ(*ParseDuration("2min"), 120'000'000'000);
  EXPECT_EQ(*ParseDuration("1.5s"), 1'500'000'000);
  EXPECT_EQ(*ParseDuration("250us"), 250'000);
  EXPECT_EQ(*ParseDuration("7ns"), 7);
}

TEST(DurationTextTest, RefusesWhatIsNotADuration) {
  for (const char* text :
       {"", "60", "s", "-1s", "0s", "1e3s", "abc", "5 s", "60mins", "nan s", "1.2.3s", "0.1ns"}) {
    Result<int64_t> parsed = ParseDuration(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    }
  }
  EXPECT_FALSE(ParseDuration("2000min").ok());  // longer than a day
}

}  // namespace
}  // namespace parlab
