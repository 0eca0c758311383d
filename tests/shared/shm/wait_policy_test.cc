// The wait policy's one parser and printer, and its one conversion to and
// from the JobSpec's enum.
#include "shared/shm/wait_policy.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

constexpr WaitPolicy kAll[] = {WaitPolicy::kSpin, WaitPolicy::kBlock, WaitPolicy::kAdaptive};

TEST(WaitPolicyTest, ParsesWhatItPrints) {
  EXPECT_STREQ(WaitPolicyName(WaitPolicy::kSpin), "spin");
  EXPECT_STREQ(WaitPolicyName(WaitPolicy::kBlock), "block");
  EXPECT_STREQ(WaitPolicyName(WaitPolicy::kAdaptive), "adaptive");
  for (const WaitPolicy policy : kAll) {
    Result<WaitPolicy> parsed = ParseWaitPolicy(WaitPolicyName(policy));
    ASSERT_TRUE(parsed.ok()) << WaitPolicyName(policy);
    EXPECT_EQ(*parsed, policy);
  }
}

TEST(WaitPolicyTest, RefusesAnUnknownWordNamingIt) {
  Result<WaitPolicy> parsed = ParseWaitPolicy("yield");
  ASSERT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("'yield'"), std::string::npos);
  EXPECT_FALSE(ParseWaitPolicy("").ok());
  EXPECT_FALSE(ParseWaitPolicy("Spin").ok());
}

TEST(WaitPolicyTest, ConvertsToAndFromTheJobSpec) {
  for (const WaitPolicy policy : kAll) EXPECT_EQ(FromProto(ToProto(policy)), policy);
  EXPECT_EQ(ToProto(WaitPolicy::kSpin), pb::SPIN);
  EXPECT_EQ(ToProto(WaitPolicy::kBlock), pb::BLOCK);
  EXPECT_EQ(ToProto(WaitPolicy::kAdaptive), pb::ADAPTIVE);
  // A job that never set --wait runs adaptive, the default.
  EXPECT_EQ(FromProto(pb::JobSpec().wait()), WaitPolicy::kAdaptive);
}

}  // namespace
}  // namespace parlab
