// SIGINT and SIGTERM during a procs run of the real `parlab` binary: exit code
// 128 + signal, the log complete up to its last line, the segment unlinked and
// no worker left.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "proto/parlab.pb.h"
#include "shared/platform/child_process.h"
#include "tests/support/segment_checks.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

std::string ParlabBinary() {
  const char* path = std::getenv("PARLAB_BIN");
  return path != nullptr ? path : "parlab";
}

int LinesIn(const std::string& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

class InterruptTest : public ::testing::TestWithParam<int> {};

TEST_P(InterruptTest, EndsCleanlyWithTheSignalsExitCode) {
  const int signal = GetParam();
  const std::string log = ::testing::TempDir() + "interrupt_" + std::to_string(signal) + ".jsonl";
  const std::string binary = ParlabBinary();
  ChildSpec spec;
  // Short trials, many of them: records reach the log while it runs.
  spec.argv = {binary,  "run",       "spin",   "--us",    "500", "--mode",
               "procs", "--workers", "2",      "--tasks", "100", "--warmup",
               "0",     "--trials",  "100000", "--log",   log};
  // Killed and reaped by its destructor if an assertion below ends the test early.
  Result<ChildProcess> parlab = ChildProcess::Start(spec);
  ASSERT_TRUE(parlab.ok()) << parlab.status().ToString();
  const pid_t child = parlab->pid();
  // Wait (up to a generous bound: a loaded machine) until trials are logged.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (LinesIn(log) < 201 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(LinesIn(log), 201) << "the run never logged two trials";
  EXPECT_FALSE(SegmentsOf(child).empty());
  parlab->Signal(signal);
  const ExitStatus status = parlab->Wait();
  ASSERT_TRUE(status.exited) << "parlab died of the signal instead of handling it";
  EXPECT_EQ(status.exit_code, 128 + signal);
  // No segment, no process naming one (its workers, reparented or not).
  ExpectNothingLeft(child);

  // Every line is whole and parses: a header, then task records.
  std::ifstream in(log);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  pb::LogHeader header;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &header).ok()) << line;
  int records = 0;
  while (std::getline(in, line)) {
    pb::TaskRecord record;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &record).ok())
        << "line " << records + 2 << ": " << line;
    ++records;
  }
  EXPECT_EQ(records % 100, 0) << "the log holds whole trials";
  std::remove(log.c_str());
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptTest, ::testing::Values(SIGINT, SIGTERM));

}  // namespace
}  // namespace parlab
