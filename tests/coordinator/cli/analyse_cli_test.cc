// The whole way, with the real binaries: `parlab run noop --mode procs
// --log a.jsonl --trace a.json`, then `parlab analyse` as text, as JSON and
// side by side, and the trace parsed back. Checks structure and consistency,
// never timings. PARLAB_BIN names the parlab binary (set by CMake).
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "proto/parlab.pb.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class AnalyseCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "analyse_cli_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(*dir_);
    const ParlabRun run =
        RunParlabShell("run noop --mode procs --workers 2 --tasks 2000 --trials 3 --log " + *dir_ +
                       "/a.jsonl --trace " + *dir_ + "/a.json");
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string* dir_;
};
std::string* AnalyseCliTest::dir_ = nullptr;

TEST_F(AnalyseCliTest, TextBreakdown) {
  const ParlabRun ran = RunParlabShell("analyse " + *dir_ + "/a.jsonl");
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  for (const char* part :
       {"mode procs/shm, 2 workers", "6000 tasks of 3 measured trials analysed",
        "2000 warmup records skipped", "wall", "compute", "IPC", "per task", "encode", "queued",
        "wake-up", "decode", "return", "overhead", "worker", "overhead per task (log-scale bins)",
        "retried (attempt > 1): none", "failed: none"}) {
    EXPECT_NE(ran.out.find(part), std::string::npos) << "missing '" << part << "' in\n" << ran.out;
  }
}

TEST_F(AnalyseCliTest, JsonIsAnAnalysisReportWithConsistentNumbers) {
  const ParlabRun ran = RunParlabShell("analyse --json " + *dir_ + "/a.jsonl");
  ASSERT_EQ(ran.exit_code, 0);
  pb::AnalysisReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report).ok()) << ran.out;
  ASSERT_EQ(report.logs_size(), 1);
  const pb::LogAnalysis& a = report.logs(0);
  EXPECT_EQ(a.job().workers(), 2);
  EXPECT_EQ(a.mode(), "procs/shm");
  EXPECT_EQ(a.records(), 8000);
  EXPECT_EQ(a.measured_tasks(), 6000);
  EXPECT_EQ(a.warmup_skipped(), 2000);
  EXPECT_EQ(a.trials(), 3);
  EXPECT_EQ(a.problems_count(), 0);
  EXPECT_EQ(a.failed_count(), 0);
  EXPECT_NEAR(a.compute_share() + a.ipc_share(), 1.0, 1e-9);
  ASSERT_EQ(a.phases_size(), 7);
  ASSERT_EQ(a.workers_size(), 2);
  int64_t tasks = 0;
  double compute_s = 0;
  for (const pb::WorkerAnalysis& w : a.workers()) {
    tasks += w.tasks();
    compute_s += w.compute_s();
  }
  EXPECT_EQ(tasks, 6000);
  EXPECT_NEAR(compute_s, a.compute_s(), 1e-9 + 1e-9 * a.compute_s());
  int64_t binned = 0;
  for (const pb::HistogramBin& bin : a.overhead_histogram()) {
    EXPECT_LT(bin.low_us(), bin.high_us());
    binned += bin.count();
  }
  EXPECT_EQ(binned, 6000);
  for (const pb::PhaseStats& p : a.phases()) {
    EXPECT_LE(p.p50_us(), p.p90_us()) << p.phase();
    EXPECT_LE(p.p90_us(), p.p99_us()) << p.phase();
    EXPECT_LE(p.p99_us(), p.max_us()) << p.phase();
  }
}

TEST_F(AnalyseCliTest, SeveralLogsSideBySide) {
  const std::string log = *dir_ + "/a.jsonl";
  const ParlabRun ran = RunParlabShell("analyse " + log + " " + log);
  ASSERT_EQ(ran.exit_code, 0);
  EXPECT_NE(ran.out.find("2 logs side by side"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("overhead p99"), std::string::npos);
}

TEST_F(AnalyseCliTest, RunTraceIsAChromeTrace) {
  google::protobuf::Struct trace;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(ReadFile(*dir_ + "/a.json"), &trace).ok());
  const auto& events = trace.fields().at("traceEvents").list_value().values();
  int slices = 0;
  for (const auto& event : events) {
    if (event.struct_value().fields().at("ph").string_value() == "X") ++slices;
  }
  EXPECT_EQ(slices, 6 * 6000);  // six phases of every measured task
  EXPECT_EQ(trace.fields().at("metadata").struct_value().fields().at("tasks_traced").string_value(),
            "6000");  // int64: a JSON string
}

TEST_F(AnalyseCliTest, AnalyseWritesATrace) {
  const ParlabRun ran =
      RunParlabShell("analyse " + *dir_ + "/a.jsonl --trace " + *dir_ + "/b.json");
  ASSERT_EQ(ran.exit_code, 0);
  google::protobuf::Struct trace;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(ReadFile(*dir_ + "/b.json"), &trace).ok());
  EXPECT_TRUE(trace.fields().count("traceEvents"));
}

TEST_F(AnalyseCliTest, CutLogIsNamedAndStillAnalysed) {
  std::string text = ReadFile(*dir_ + "/a.jsonl");
  text.resize(text.size() - 40);  // the last line loses its end
  const std::string cut = *dir_ + "/cut.jsonl";
  std::ofstream(cut) << text;
  const ParlabRun ran = RunParlabShell("analyse --json " + cut);
  ASSERT_EQ(ran.exit_code, 0);
  EXPECT_NE(ran.err.find("cut.jsonl:8001: cut short"), std::string::npos) << ran.err;
  pb::AnalysisReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report).ok());
  EXPECT_EQ(report.logs(0).measured_tasks(), 5999);
  EXPECT_EQ(report.logs(0).problems_count(), 1);
}

TEST_F(AnalyseCliTest, BadInputIsExitTwo) {
  EXPECT_EQ(RunParlabShell("analyse " + *dir_ + "/missing.jsonl").exit_code, 2);
  const std::string empty = *dir_ + "/empty.jsonl";
  std::ofstream(empty).close();
  EXPECT_EQ(RunParlabShell("analyse " + empty).exit_code, 2);
  const std::string garbage = *dir_ + "/garbage.jsonl";
  std::ofstream(garbage) << "not a log\n";
  EXPECT_EQ(RunParlabShell("analyse " + garbage).exit_code, 2);
  EXPECT_EQ(RunParlabShell("analyse").exit_code, 2);
  const std::string log = *dir_ + "/a.jsonl";
  EXPECT_EQ(
      RunParlabShell("analyse " + log + " " + log + " --trace " + *dir_ + "/c.json").exit_code, 2);
}

// bench log: both sides ran, and the ratio is the ratio of the printed means.
TEST(BenchLogCliTest, JsonRowsAreConsistent) {
  const std::string log = ::testing::TempDir() + "bench_log_" + std::to_string(getpid()) + ".jsonl";
  const ParlabRun ran = RunParlabShell(
      "bench log --modes procs,threads --tasks 200 --trials 2 --warmup 1 --json "
      "--log " +
      log);
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  pb::LogCostReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report).ok()) << ran.out;
  ASSERT_EQ(report.rows_size(), 2);
  EXPECT_EQ(report.rows(0).mode(), "procs");
  EXPECT_EQ(report.rows(1).mode(), "threads");
  for (const pb::LogCost& row : report.rows()) {
    EXPECT_GT(row.off_mean_s(), 0);
    EXPECT_GT(row.on_mean_s(), 0);
    EXPECT_DOUBLE_EQ(row.ratio(), row.on_mean_s() / row.off_mean_s());
    EXPECT_EQ(row.target(), 1.02);
    EXPECT_EQ(row.us(), 10);
    EXPECT_GT(row.log_bytes(), 0);
  }
  // The log of the last mode: a header and (warmup + trials) × tasks records.
  int lines = 0;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 1 + 3 * 200);
  std::remove(log.c_str());
  EXPECT_EQ(RunParlabShell("bench log --modes seq").exit_code, 2);
}

}  // namespace
}  // namespace parlab
