// Bad input through the real binary: exit code 2, a message naming what was
// wrong, and nothing started — in particular nothing created in /dev/shm
// (no parlab-<pid of that run>-* segment, during or after).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/parlab_process.h"
#include "tests/support/segment_checks.h"

namespace parlab {
namespace {

struct BadCase {
  std::vector<std::string> args;
  std::string expected;  // part of the message
};

class BadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInputTest, ExitsWithTwoNamingTheProblemAndCreatesNothing) {
  const BadCase& c = GetParam();
  ParlabProcess parlab(c.args);
  const int code = parlab.Wait();
  EXPECT_EQ(code, 2) << parlab.output();
  EXPECT_NE(parlab.output().find(c.expected), std::string::npos)
      << "expected '" << c.expected << "' in:\n"
      << parlab.output();
  // The pid is not reused before we reap it, so no other process's segments
  // can be counted here.
  EXPECT_TRUE(SegmentsOf(parlab.pid()).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInputTest,
    ::testing::Values(
        BadCase{{"run", "loop", "--mode", "procs", "--workers", "0"},
                "workers must be 1..1024, got 0"},
        BadCase{{"run", "fft", "--mode", "procs"}, "unknown workload 'fft'"},
        BadCase{{"run", "matmul", "--n", "-4", "--mode", "procs"}, "matmul: n must be"},
        BadCase{{"run", "matmul", "--n", "200000", "--mode", "procs"}, "got 200000"},
        // Within n's range, beyond any machine's memory: 1000 outputs of 2.98 GiB.
        BadCase{{"run", "matmul", "--n", "20000", "--mode", "procs", "--workers", "1000"},
                "matmul --n 20000 in procs with 1000 workers needs"},
        BadCase{{"run", "matmul", "--n", "20000", "--mode", "threads", "--workers", "1000"},
                "TiB of memory"},
        BadCase{{"run", "noop", "--mode", "procs", "--chunk", "65536", "--inflight", "1024"},
                "--chunk 65536 with --inflight 1024"},
        BadCase{{"compare", "sum", "--n", "0"}, "sum: n must be"},
        BadCase{{"run", "loop", "--workers", "many"}, "--workers"},
        BadCase{{"clean", "--bogus"}, "--bogus"}));

}  // namespace
}  // namespace parlab
