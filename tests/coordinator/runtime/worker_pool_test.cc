#include "coordinator/runtime/worker_pool.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/scoped_env.h"

namespace parlab {
namespace {

TEST(WorkerEnvironmentTest, AWorkersOpenBlasStartsWithoutAPoolUnlessTheUserSizedIt) {
  ScopedEnv restored("OPENBLAS_NUM_THREADS", "3");  // whatever it was comes back after
  EXPECT_EQ(WorkerEnvironment().count("OPENBLAS_NUM_THREADS"), 0u);  // the user's 3 stays
  unsetenv("OPENBLAS_NUM_THREADS");
  EXPECT_EQ(WorkerEnvironment().at("OPENBLAS_NUM_THREADS"), "1");
}

}  // namespace
}  // namespace parlab
