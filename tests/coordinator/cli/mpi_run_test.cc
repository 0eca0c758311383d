// `parlab run --transport mpi` the whole way, under a real mpirun
// (`mpirun --oversubscribe -n 3`, bounded by mpirun's --timeout): rank 0
// coordinates, ranks 1 and 2 become parlab-worker. Checks what the issue asks
// and never a timing: the checksums equal seq's, the log's header places every
// rank with clock estimates whose bounds hold zero (one host: one clock),
// the ranks stamp with the coordinator's calibration of the stamp clock,
// `parlab analyse` has a row per rank and per host, frames longer than the
// posted receive arrive whole, and a rank killed mid-job ends it with a
// message naming the rank and its host and leaves a valid partial log. Registered only when MPI was
// found (PARLAB_WITH_MPI).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "coordinator/observe/log_reader.h"
#include "coordinator/report/json_output.h"
#include "shared/clock.h"
#include "shared/platform/child_process.h"
#include "shared/platform/unique_fd.h"
#include "tests/support/job_outcome_checks.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

constexpr const char* kMpirunTimeoutS = "90";  // mpirun ends the job past it, whatever happens

std::vector<std::string> MpirunArgs(const std::vector<std::string>& parlab_args) {
  const char* bin = std::getenv("PARLAB_BIN");
  std::vector<std::string> argv = {"mpirun", "--oversubscribe", "-n",
                                   "3",      "--timeout",       kMpirunTimeoutS};
  if (geteuid() == 0) argv.insert(argv.begin() + 1, "--allow-run-as-root");
  argv.push_back(bin != nullptr ? bin : "parlab");
  argv.insert(argv.end(), parlab_args.begin(), parlab_args.end());
  return argv;
}

Result<ChildProcess> StartMpirun(const std::vector<std::string>& parlab_args) {
  ChildSpec spec;
  spec.argv = MpirunArgs(parlab_args);
  // As from a shell: no stamp clock handed down (ChildProcess hands ours to
  // every child, and mpirun would pass it on to the ranks).
  spec.env[kStampClockVariable] = std::nullopt;
  spec.stdout_to = ChildOutput::kCapture;
  spec.stderr_to = ChildOutput::kCapture;
  return ChildProcess::Start(spec);
}

struct Finished {
  int exit_code = -1;
  std::string output;
};

Finished Finish(ChildProcess& child) {
  Finished done;
  if (Result<std::string> out = ReadToEnd(child.output_fd(), -1); out.ok()) done.output = *out;
  const ExitStatus status = child.Wait();
  done.exit_code = status.exited ? status.exit_code : 128 + status.term_signal;
  return done;
}

// seq's checksum, from the parlab binary the ranks run. Not from this test
// binary in-process: the same kernel rounded differently there in the last
// bits under AddressSanitizer on an AVX-512 Xeon (matmul --n 120: ...514 here,
// ...038 from the ASan parlab in every mode), while a build agrees with itself.
double SeqChecksum(const std::vector<std::string>& kernel_args) {
  std::string args = "run";
  for (const std::string& arg : kernel_args) args += " " + arg;
  const ParlabRun run = RunParlabShell(args + " --mode seq --tasks 1 --trials 1 --warmup 0 --json");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  pb::JobSummary summary;
  const Status parsed = FromJson(run.out, summary);
  EXPECT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << run.out;
  return parsed.ok() ? summary.checksum() : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads a log that must be whole: readable, no problem lines, a header.
// Through ASSERT_NO_FATAL_FAILURE.
void ReadWholeLog(const std::string& path, LogContents& contents) {
  Result<LogContents> read = ReadLog(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->problem_count, 0)
      << (read->problems.empty() ? std::string() : read->problems.front().message);
  ASSERT_TRUE(read->header.has_value());
  contents = std::move(*read);
}

// Runs `parlab_args` under mpirun to its end; the job must succeed and leave
// a whole log at `log`. Through ASSERT_NO_FATAL_FAILURE.
void RunAndReadLog(const std::vector<std::string>& parlab_args, const std::string& log,
                   Finished& run, LogContents& contents) {
  Result<ChildProcess> child = StartMpirun(parlab_args);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  run = Finish(*child);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_NO_FATAL_FAILURE(ReadWholeLog(log, contents));
}

class MpiRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "mpi_run_test_" + std::to_string(getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

void ExpectClockHoldsZero(const pb::ClockEstimate& clock, const std::string& what) {
  EXPECT_GT(clock.exchanges(), 0) << what;
  EXPECT_GT(clock.round_trip_ns(), 0) << what;
  EXPECT_GE(clock.bound_ns(), 0) << what;
  // One host, one CLOCK_MONOTONIC: the true offset is 0, and it must lie
  // within the estimate's bound.
  EXPECT_LE(std::llabs(clock.offset_ns()), clock.bound_ns())
      << what << ": offset " << clock.offset_ns() << " ns, bound " << clock.bound_ns() << " ns";
}

// The records of a run on this one host: every task answered with seq's
// checksum, its stamps in their causal order (one host, one clock: no
// estimate's error moves the workers' stamps). Whether worker 1 (rank 2) ran
// any, i.e. both ranks took work.
bool ExpectAnsweredAsSeqInOrder(const std::vector<TaskRecord>& records, double expected) {
  bool worker_one = false;
  for (const TaskRecord& r : records) {
    SCOPED_TRACE("task " + std::to_string(r.id));
    EXPECT_EQ(r.outcome, TaskOutcome::kOk);
    EXPECT_DOUBLE_EQ(r.checksum, expected);
    ExpectStampsInOrder(r.t);
    worker_one = worker_one || r.worker == 1;
  }
  return worker_one;
}

TEST_F(MpiRunTest, MatmulOnTwoRanksMatchesSeqWithClocksAndPerRankRows) {
  const std::string log = dir_ + "/m.jsonl";
  const std::vector<std::string> kernel = {"matmul", "--n", "120"};
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), kernel.begin(), kernel.end());
  args.insert(args.end(), {"--tasks", "20", "--trials", "2", "--transport", "mpi", "--log", log});
  Finished run;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(RunAndReadLog(args, log, run, contents));
  EXPECT_NE(run.output.find("transport mpi"), std::string::npos) << run.output;
  const pb::LogHeader& header = *contents.header;
  EXPECT_EQ(header.job().transport(), pb::MPI);
  EXPECT_EQ(header.job().mode(), pb::PROCS);  // implied by --transport mpi
  EXPECT_EQ(header.job().workers(), 2);       // the ranks but rank 0
  ASSERT_EQ(header.places_size(), 2);
  for (const pb::WorkerPlace& place : header.places()) {
    const std::string what = "rank " + std::to_string(place.rank());
    EXPECT_EQ(place.rank(), place.worker() + 1) << what;
    EXPECT_FALSE(place.host().empty()) << what;
    EXPECT_EQ(place.path(), "mpi") << what;
    EXPECT_GT(place.pid(), 0) << what;
    ASSERT_TRUE(place.has_clock_before()) << what;
    ASSERT_TRUE(place.has_clock_after()) << what;
    ExpectClockHoldsZero(place.clock_before(), what + " before");
    ExpectClockHoldsZero(place.clock_after(), what + " after");
  }

  // Warmup (1) and measured trials (2), 20 tasks each, the same checksum as seq.
  ASSERT_EQ(contents.records.size(), 60u);
  EXPECT_TRUE(ExpectAnsweredAsSeqInOrder(contents.records, SeqChecksum(kernel)));
  const std::string text = ReadFile(log);
  EXPECT_NE(text.find("\"path\":\"mpi\""), std::string::npos);

  const ParlabRun analysed = RunParlabShell("analyse " + log);
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  for (const std::string part :
       {"0 r1@", "1 r2@", "host", "clocks, worker − coordinator", "rank 1 on", "rank 2 on"}) {
    EXPECT_NE(analysed.out.find(part), std::string::npos) << "missing '" << part << "' in\n"
                                                          << analysed.out;
  }
}

TEST_F(MpiRunTest, MpiShmPutsTheRanksOfThisHostOnTheShmPath) {
  const std::string log = dir_ + "/s.jsonl";
  const std::vector<std::string> kernel = {"matmul", "--n", "120"};
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), kernel.begin(), kernel.end());
  args.insert(args.end(),
              {"--tasks", "20", "--trials", "2", "--transport", "mpi+shm", "--log", log});
  Finished run;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(RunAndReadLog(args, log, run, contents));
  EXPECT_NE(run.output.find("transport mpi+shm: rank(s) 1, 2 on the shared-memory path, 0 rank(s) "
                            "on MPI messages"),
            std::string::npos)
      << run.output;
  const pb::LogHeader& header = *contents.header;
  EXPECT_EQ(header.job().transport(), pb::MPI);
  EXPECT_TRUE(header.job().mpi_shm());
  ASSERT_EQ(header.places_size(), 2);
  // One host: every rank shares the coordinator's, so all take the shm path.
  for (const pb::WorkerPlace& place : header.places()) {
    const std::string what = "rank " + std::to_string(place.rank());
    EXPECT_EQ(place.path(), "shm") << what;
    EXPECT_FALSE(place.host().empty()) << what;
    ASSERT_TRUE(place.has_clock_before()) << what;
    ASSERT_TRUE(place.has_clock_after()) << what;  // measured after the rings closed
    ExpectClockHoldsZero(place.clock_before(), what + " before");
    ExpectClockHoldsZero(place.clock_after(), what + " after");
  }

  ASSERT_EQ(contents.records.size(), 60u);
  EXPECT_TRUE(ExpectAnsweredAsSeqInOrder(contents.records, SeqChecksum(kernel)));
  // Each record says its path and host: every task line of the log.
  std::istringstream lines(ReadFile(log));
  const std::string host_field = "\"host\":\"" + header.places(0).host() + "\"";
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));  // the header
  int task_lines = 0;
  int elsewhere = 0;
  std::string first_elsewhere;
  while (std::getline(lines, line)) {
    ++task_lines;
    if (line.find("\"path\":\"shm\"") != std::string::npos &&
        line.find(host_field) != std::string::npos) {
      continue;
    }
    if (elsewhere++ == 0) first_elsewhere = line;
  }
  EXPECT_EQ(task_lines, 60);
  EXPECT_EQ(elsewhere, 0) << "records without the shm path on " << host_field << ", first:\n"
                          << first_elsewhere;
}

// The kernel's clocksource: "tsc" where shared/clock.h makes the stamp clock
// the TSC.
std::string ClockSource() {
  std::ifstream in("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string source;
  std::getline(in, source);
  return source;
}

TEST_F(MpiRunTest, RanksOnTheCoordinatorsHostStampWithItsCalibration) {
  // mpirun starts every rank, so none has a parent of ours to hand it the
  // stamp clock: rank 0 calibrates its own, and the ranks on its node (here
  // all) adopt exactly that one (shared/mpi/mpi_world.h), never one of their
  // own, so one TSC reading is one nanosecond in every process of the job.
  const std::string log = dir_ + "/c.jsonl";
  Finished run;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(RunAndReadLog(
      {"run", "noop", "--tasks", "20", "--trials", "1", "--transport", "mpi", "--log", log}, log,
      run, contents));
  const pb::LogHeader& header = *contents.header;
  ASSERT_FALSE(header.stamp_clock().empty());
  if (ClockSource() == "tsc") {
    EXPECT_EQ(header.stamp_clock().rfind("tsc:", 0), 0u)
        << "rank 0 kept CLOCK_MONOTONIC: " << header.stamp_clock();
  }
  ASSERT_EQ(header.places_size(), 2);
  for (const pb::WorkerPlace& place : header.places()) {
    const std::string what = "rank " + std::to_string(place.rank());
    EXPECT_EQ(place.stamp_clock(), header.stamp_clock()) << what;
    ASSERT_TRUE(place.has_clock_before()) << what;
    ExpectClockHoldsZero(place.clock_before(), what + " before");
  }
}

TEST_F(MpiRunTest, FramesLongerThanThePostedReceiveArriveWhole) {
  // 2000 tasks a frame: each result frame is ~110 KB, past the 64 KiB that
  // the coordinator's posted receive holds, so it takes the two-message way
  // (shared/mpi/mpi_inbox.h); every task must still come back, right.
  const std::string log = dir_ + "/l.jsonl";
  const std::vector<std::string> kernel = {"sum", "--n", "3"};
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), kernel.begin(), kernel.end());
  args.insert(args.end(), {"--tasks", "4000", "--chunk", "2000", "--trials", "1", "--warmup", "0",
                           "--transport", "mpi", "--log", log});
  Finished run;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(RunAndReadLog(args, log, run, contents));
  ASSERT_EQ(contents.records.size(), 4000u);
  const double expected = SeqChecksum(kernel);
  for (const TaskRecord& r : contents.records) {
    ASSERT_EQ(r.outcome, TaskOutcome::kOk) << "task " << r.id;
    ASSERT_DOUBLE_EQ(r.checksum, expected) << "task " << r.id;
  }
}

TEST_F(MpiRunTest, TaskFramesPastTheEagerLimitLeaveWithoutWaitingForTheWorker) {
  // 3000 tasks a frame: each task frame is ~6 KB, past Open MPI's eager
  // limit (4 KiB over shared memory), and with 2 in flight to each of the 2
  // workers the second frame leaves while the worker runs the first. Sent with a blocking MPI_Send
  // it would wait for the worker to match it, while the worker waits in its own send of a large
  // result frame for us to receive it: the job would hang until mpirun's --timeout. It must leave
  // without the worker (MPI_Isend).
  const std::string log = dir_ + "/l.jsonl";
  const std::vector<std::string> kernel = {"sum", "--n", "3"};
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), kernel.begin(), kernel.end());
  args.insert(args.end(), {"--tasks", "12000", "--chunk", "3000", "--inflight", "2", "--trials",
                           "1", "--warmup", "0", "--transport", "mpi", "--log", log});
  Finished run;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(RunAndReadLog(args, log, run, contents));
  ASSERT_EQ(contents.records.size(), 12000u);
  const double expected = SeqChecksum(kernel);
  for (const TaskRecord& r : contents.records) {
    ASSERT_EQ(r.outcome, TaskOutcome::kOk) << "task " << r.id;
    ASSERT_DOUBLE_EQ(r.checksum, expected) << "task " << r.id;
  }
}

TEST_F(MpiRunTest, RankKilledMidJobEndsItWithItsNameAndAValidPartialLog) {
  const std::string log = dir_ + "/k.jsonl";
  // Long enough (hundreds of trials) that the kill lands mid-job.
  Result<ChildProcess> child =
      StartMpirun({"run", "spin", "--us", "2000", "--tasks", "10", "--trials", "1000",
                   "--transport", "mpi", "--log", log});
  ASSERT_TRUE(child.ok()) << child.status().ToString();

  // Waits until two trials are in the log, then kills rank 2 by the pid its
  // header gives.
  pid_t victim = 0;
  const int64_t deadline_ns = NowNs() + 60'000'000'000;
  while (victim == 0 && NowNs() < deadline_ns) {
    LogContents contents = ReadLogText(ReadFile(log), log);
    if (contents.header && contents.header->places_size() == 2 && contents.records.size() >= 20) {
      victim = static_cast<pid_t>(contents.header->places(1).pid());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polls a file, not a sync
  }
  ASSERT_GT(victim, 0) << "the job never logged two trials";
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  const Finished run = Finish(*child);

  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("rank 2 on host "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("(pid " + std::to_string(victim) + ") died"), std::string::npos)
      << run.output;
  LogContents contents;
  ASSERT_NO_FATAL_FAILURE(ReadWholeLog(log, contents));
  EXPECT_EQ(contents.header->places_size(), 2);
  EXPECT_GE(contents.records.size(), 20u);
  EXPECT_EQ(contents.records.size() % 10, 0u) << "whole trials only";
  EXPECT_LT(contents.records.size(), 10'010u) << "the job did not end early";
  const ParlabRun analysed = RunParlabShell("analyse " + log);
  EXPECT_EQ(analysed.exit_code, 0) << analysed.err;
}

}  // namespace
}  // namespace parlab
