// Runs the real `parlab` binary ($PARLAB_BIN) with tiny sizes: memory, timeit,
// profile and advise print their structure and exit 0; bad input exits 2.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
};

Outcome Parlab(const std::string& args) {
  const char* bin = std::getenv("PARLAB_BIN");
  Outcome run;
  if (bin == nullptr) return run;
  const std::string command = std::string(bin) + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), got);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

void ExpectContains(const Outcome& run, const std::string& text) {
  EXPECT_NE(run.out.find(text), std::string::npos) << "missing '" << text << "' in:\n" << run.out;
}

TEST(NotebookCommandsTest, BinaryIsGiven) { ASSERT_NE(std::getenv("PARLAB_BIN"), nullptr); }

TEST(NotebookCommandsTest, MemoryPrintsComputedAndMeasured) {
  const Outcome run = Parlab("memory --n 10 --batch 2 --channels 1 --size 8 --layers c4,p2,c8");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text : {"float16", "Eigen::half", "int64", "800 B", "(2, 1, 8, 8)",
                           "conv1 (4ch, 3x3)", "pool2 (2x2)", "conv3 (8ch, 3x3)",
                           "Total (estimated", "baseline (started, nothing allocated)",
                           "peak during the pass (1 thread)", "the kernel's own share"}) {
    ExpectContains(run, text);
  }
}

TEST(NotebookCommandsTest, MemoryRejectsBadShapes) {
  EXPECT_EQ(Parlab("memory --n 0").exit_code, 2);
  EXPECT_EQ(Parlab("memory --batch 0 --no-peak").exit_code, 2);
  EXPECT_EQ(Parlab("memory --layers c4,x2 --no-peak").exit_code, 2);
  EXPECT_EQ(Parlab("memory --threads 0").exit_code, 2);
}

TEST(NotebookCommandsTest, TimeitPrintsIPythonsLine) {
  const Outcome run = Parlab("timeit noop --repeats 2 --loops 3");
  EXPECT_EQ(run.exit_code, 0);
  ExpectContains(run, "timeit noop");
  ExpectContains(run, "per loop (mean ± std. dev. of 2 runs, 3 loops each)");
  ExpectContains(run, "best ");
  EXPECT_EQ(Parlab("timeit nosuch").exit_code, 2);
  EXPECT_EQ(Parlab("timeit noop --repeats 0").exit_code, 2);
  EXPECT_EQ(Parlab("timeit matmul --n 0").exit_code, 2);
}

TEST(NotebookCommandsTest, ProfilePrintsStagesAndPerfSection) {
  const Outcome run = Parlab("profile pca --rows 100 --cols 10 --k 2 --runs 2 --perf");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text :
       {"normalise", "covariance", "svd", "projection", "total (wall)", "perf stat"}) {
    ExpectContains(run, text);
  }
  EXPECT_EQ(Parlab("profile matmul --n 8").exit_code, 2);
  EXPECT_EQ(Parlab("profile pca --runs 0").exit_code, 2);
}

TEST(NotebookCommandsTest, AdviseRecommendsWithEvidence) {
  const Outcome run = Parlab("advise spin --us 200 --trials 1 --target 0.02");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* text : {"seq", "threads", "gil", "procs", "blas", "speedup", "holds the lock",
                           "recommendation: --mode"}) {
    ExpectContains(run, text);
  }
  EXPECT_EQ(Parlab("advise spin --trials 0").exit_code, 2);
  EXPECT_EQ(Parlab("advise nosuch").exit_code, 2);
}

}  // namespace
