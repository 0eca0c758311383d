// Runs the real `parlab` binary ($PARLAB_BIN) with tiny sizes: memory, timeit,
// profile and advise print their structure and exit 0; bad input exits 2.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/support/parlab_process.h"

namespace {

void ExpectContains(const parlab::ParlabRun& run, const std::string& text) {
  EXPECT_NE(run.out.find(text), std::string::npos) << "missing '" << text << "' in:\n" << run.out;
}

TEST(NotebookCommandsTest, BinaryIsGiven) { ASSERT_NE(std::getenv("PARLAB_BIN"), nullptr); }

TEST(NotebookCommandsTest, MemoryPrintsComputedAndMeasured) {
  const parlab::ParlabRun run =
      parlab::RunParlabShell("memory --n 10 --batch 2 --channels 1 --size 8 --layers c4,p2,c8");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text : {"float16", "Eigen::half", "int64", "800 B", "(2, 1, 8, 8)",
                           "conv1 (4ch, 3x3)", "pool2 (2x2)", "conv3 (8ch, 3x3)",
                           "Total (estimated", "baseline (started, nothing allocated)",
                           "peak during the pass (1 thread)", "the kernel's own share"}) {
    ExpectContains(run, text);
  }
}

TEST(NotebookCommandsTest, MemoryRejectsBadShapes) {
  EXPECT_EQ(parlab::RunParlabShell("memory --n 0").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("memory --batch 0 --no-peak").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("memory --layers c4,x2 --no-peak").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("memory --threads 0").exit_code, 2);
}

TEST(NotebookCommandsTest, TimeitPrintsIPythonsLine) {
  const parlab::ParlabRun run = parlab::RunParlabShell("timeit noop --repeats 2 --loops 3");
  EXPECT_EQ(run.exit_code, 0);
  ExpectContains(run, "timeit noop");
  ExpectContains(run, "per loop (mean ± std. dev. of 2 runs, 3 loops each)");
  ExpectContains(run, "best ");
  EXPECT_EQ(parlab::RunParlabShell("timeit nosuch").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("timeit noop --repeats 0").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("timeit matmul --n 0").exit_code, 2);
}

TEST(NotebookCommandsTest, ProfilePrintsStagesAndPerfSection) {
  const parlab::ParlabRun run =
      parlab::RunParlabShell("profile pca --rows 100 --cols 10 --k 2 --runs 2 --perf");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text :
       {"normalise", "covariance", "svd", "projection", "total (wall)", "perf stat"}) {
    ExpectContains(run, text);
  }
  EXPECT_EQ(parlab::RunParlabShell("profile matmul --n 8").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("profile pca --runs 0").exit_code, 2);
}

TEST(NotebookCommandsTest, AdviseRecommendsWithEvidence) {
  const parlab::ParlabRun run =
      parlab::RunParlabShell("advise spin --us 200 --trials 1 --target 0.02");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text : {"seq", "threads", "gil", "procs", "blas", "speedup", "holds the lock",
                           "recommendation: --mode"}) {
    ExpectContains(run, text);
  }
  EXPECT_EQ(parlab::RunParlabShell("advise spin --trials 0").exit_code, 2);
  EXPECT_EQ(parlab::RunParlabShell("advise nosuch").exit_code, 2);
}

}  // namespace
