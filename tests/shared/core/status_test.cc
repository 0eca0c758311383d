#include "shared/status.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = InvalidArgument("workers must be 1..1024, got 0");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid argument: workers must be 1..1024, got 0");
}

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = Half(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 2);
  Result<int> bad = Half(3);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

Status Chain(int x) {
  PARLAB_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(StatusTest, ReturnIfErrorPropagates) {
  EXPECT_TRUE(Chain(2).ok());
  EXPECT_EQ(Chain(1).code(), StatusCode::kInvalidArgument);
}

// Quarter(x) = Half(Half(x)), through the macro; `steps` counts the statements
// reached, so an early return is seen as well as its status.
Result<int> Quarter(int x, int& steps) {
  PARLAB_ASSIGN_OR_RETURN(int half, Half(x));
  ++steps;
  PARLAB_ASSIGN_OR_RETURN(half, Half(half));  // assigns to an existing variable too
  ++steps;
  return half;
}

TEST(StatusTest, AssignOrReturnMovesTheValueOrReturnsTheStatus) {
  int steps = 0;
  Result<int> quarter = Quarter(8, steps);
  ASSERT_TRUE(quarter.ok());
  EXPECT_EQ(*quarter, 2);
  EXPECT_EQ(steps, 2);

  steps = 0;
  Result<int> odd = Quarter(6, steps);  // 6 / 2 = 3 is odd: the second Half fails
  EXPECT_EQ(odd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(steps, 1);

  steps = 0;
  EXPECT_FALSE(Quarter(3, steps).ok());
  EXPECT_EQ(steps, 0);
}

TEST(StatusTest, AssignOrReturnWorksInAFunctionReturningStatus) {
  const auto halve_twice = [](int x, int& out) -> Status {
    PARLAB_ASSIGN_OR_RETURN(int half, Half(x));
    PARLAB_ASSIGN_OR_RETURN(out, Half(half));
    return Status::Ok();
  };
  int out = 0;
  EXPECT_TRUE(halve_twice(12, out).ok());
  EXPECT_EQ(out, 3);
  EXPECT_EQ(halve_twice(10, out).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parlab
