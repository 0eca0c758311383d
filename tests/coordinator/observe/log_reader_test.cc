// The log reader: a good log reads whole; a cut last line, a garbage line, a
// header from a newer parlab are problems naming their line while the good
// records are still read; an empty or missing file is an error naming it.
#include "coordinator/observe/log_reader.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "coordinator/observe/log_writer.h"
#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

TaskRecord Record(uint64_t id, int32_t trial, int32_t worker) {
  TaskRecord r;
  r.id = id;
  r.trial = trial;
  r.worker = worker;
  r.checksum = 1.5;
  const int64_t base = 1'000'000 + static_cast<int64_t>(id) * 1000;
  r.t = {base, base + 10, base + 20, base + 30, base + 40, base + 50, base + 60, base + 70};
  return r;
}

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "log_reader_test_" + std::to_string(getpid()) + ".jsonl";
  }
  void TearDown() override { std::remove(path_.c_str()); }

  // A real log, as `parlab run --log` writes it: 1 warmup trial, 2 measured, 3 tasks each.
  std::string WriteGoodLog() {
    pb::JobSpec job = DefaultJob();
    job.set_tasks(3);
    job.set_trials(2);
    Result<std::unique_ptr<LogWriter>> writer = LogWriter::Open(path_, job);
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    uint64_t id = 0;
    for (int32_t trial : {-1, 0, 1}) {
      std::vector<TaskRecord> records;
      for (int k = 0; k < 3; ++k) records.push_back(Record(id++, trial, k % 2));
      EXPECT_TRUE((*writer)->Append(records).ok());
    }
    EXPECT_TRUE((*writer)->Close().ok());
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void Write(const std::string& text) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << text;
  }

  std::string path_;
};

TEST_F(LogReaderTest, GoodLogReadsWhole) {
  WriteGoodLog();
  Result<LogContents> log = ReadLog(path_);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_TRUE(log->header.has_value());
  EXPECT_EQ(log->header->version(), kLogVersion);
  EXPECT_EQ(log->header->job().tasks(), 3);
  EXPECT_EQ(log->lines, 10);
  ASSERT_EQ(log->records.size(), 9u);
  EXPECT_TRUE(log->problems.empty());
  EXPECT_EQ(log->problem_count, 0);
  const TaskRecord& r = log->records[4];
  const TaskRecord expected = Record(4, 0, 1);
  EXPECT_EQ(r.id, 4u);
  EXPECT_EQ(r.trial, 0);
  EXPECT_EQ(r.worker, 1);
  EXPECT_EQ(r.attempt, 1);
  EXPECT_EQ(r.checksum, 1.5);
  EXPECT_EQ(r.t.submit_ns, expected.t.submit_ns);
  EXPECT_EQ(r.t.result_dequeued_ns, expected.t.result_dequeued_ns);
  EXPECT_EQ(log->records[0].trial, -1);
}

TEST_F(LogReaderTest, CutLastLineIsNamedAndTheRestIsRead) {
  const std::string text = WriteGoodLog();
  // The run died while writing line 10: half of it, no newline.
  const size_t last_line = text.rfind('\n', text.size() - 2) + 1;
  Write(text.substr(0, last_line + (text.size() - last_line) / 2));
  Result<LogContents> log = ReadLog(path_);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->records.size(), 8u);
  ASSERT_EQ(log->problems.size(), 1u);
  EXPECT_EQ(log->problems[0].line, 10);
  EXPECT_NE(log->problems[0].message.find("cut short"), std::string::npos)
      << log->problems[0].message;
}

TEST_F(LogReaderTest, GarbageLineIsNamedAndTheRestIsRead) {
  std::string text = WriteGoodLog();
  // Line 3 becomes garbage; line 6 another message's JSON; an empty line at 8.
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  lines[2] = "this is not json \x01\xff";
  lines[5] = R"({"version": 1, "job": {}})";
  lines[7] = "";
  std::string changed;
  for (const std::string& line : lines) changed += line + "\n";
  Write(changed);
  Result<LogContents> log = ReadLog(path_);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->records.size(), 6u);
  ASSERT_EQ(log->problems.size(), 3u);
  EXPECT_EQ(log->problems[0].line, 3);
  EXPECT_NE(log->problems[0].message.find("not a task record"), std::string::npos);
  EXPECT_EQ(log->problems[1].line, 6);
  EXPECT_EQ(log->problems[2].line, 8);
  EXPECT_EQ(log->problems[2].message, "empty line");
}

TEST_F(LogReaderTest, NewerVersionHeaderIsSaidAndItsRecordsRead) {
  const std::string text = WriteGoodLog();
  const size_t end_of_header = text.find('\n');
  std::string header = text.substr(0, end_of_header);
  const std::string version = "\"version\":1";
  ASSERT_NE(header.find(version), std::string::npos) << header;
  header.replace(header.find(version), version.size(), "\"version\":7,\"future_field\":3");
  // A newer record may carry fields this parlab does not know.
  std::string record = text.substr(end_of_header + 1);
  record.insert(1, "\"future_stamp_ns\":5,");
  Write(header + "\n" + record);
  Result<LogContents> log = ReadLog(path_);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(log->header.has_value());
  EXPECT_EQ(log->header->version(), 7);
  EXPECT_EQ(log->records.size(), 9u);
  ASSERT_EQ(log->problems.size(), 1u);
  EXPECT_EQ(log->problems[0].line, 1);
  EXPECT_NE(log->problems[0].message.find("version 7"), std::string::npos);
}

TEST_F(LogReaderTest, RecordsWithoutHeaderAreRead) {
  const std::string text = WriteGoodLog();
  Write(text.substr(text.find('\n') + 1));
  Result<LogContents> log = ReadLog(path_);
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE(log->header.has_value());
  EXPECT_EQ(log->records.size(), 9u);
  ASSERT_EQ(log->problems.size(), 1u);
  EXPECT_EQ(log->problems[0].line, 1);
  EXPECT_NE(log->problems[0].message.find("no header"), std::string::npos);
}

TEST_F(LogReaderTest, EmptyFileIsAnError) {
  Write("");
  Result<LogContents> log = ReadLog(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(log.status().message().find(path_), std::string::npos);
  EXPECT_NE(log.status().message().find("empty"), std::string::npos);
}

TEST_F(LogReaderTest, MissingFileIsAnErrorNamingIt) {
  Result<LogContents> log = ReadLog(path_ + ".missing");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(log.status().message().find(path_ + ".missing"), std::string::npos);
}

TEST(ParseRecordLineTest, RejectsWhatIsNotARecord) {
  for (const char* line :
       {"", "{}", "[]", "null", "{\"id\":", "{\"id\":1,\"t_submit_ns\":5,", "{\"version\":1}",
        "{\"t_submit_ns\":5,\"attempt\":0}", "{\"t_submit_ns\":5,\"attempt\":1,\"status\":99}",
        "{\"t_submit_ns\":\"x\",\"attempt\":1}"}) {
    Result<ParsedRecord> parsed = ParseRecordLine(line);
    EXPECT_FALSE(parsed.ok()) << line;
  }
}

TEST(ParseRecordLineTest, ReadsAFailedRecordWithItsError) {
  Result<ParsedRecord> parsed = ParseRecordLine(
      R"({"id":"42","trial":0,"worker":1,"attempt":3,"status":"TASK_WORKER_DIED","signal":9,)"
      R"("error":"killed","t_submit_ns":"100"})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->record.id, 42u);
  EXPECT_EQ(parsed->record.attempt, 3);
  EXPECT_EQ(parsed->record.outcome, TaskOutcome::kWorkerDied);
  EXPECT_EQ(parsed->record.signal, 9);
  EXPECT_EQ(parsed->error, "killed");
}

TEST(ReadLogTextTest, NeverCrashesOnBytes) {
  // A cheap stand-in for the fuzz target: every prefix of a log and some noise.
  const std::string line =
      R"({"id":"1","trial":0,"worker":0,"attempt":1,"status":"TASK_OK","t_submit_ns":"5"})";
  const std::string text = R"({"version":1})"
                           "\n" +
                           line + "\n" + line + "\n";
  for (size_t n = 0; n <= text.size(); ++n) {
    const LogContents log = ReadLogText(std::string_view(text).substr(0, n), "prefix");
    EXPECT_LE(log.records.size(), 2u);
  }
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 7919) % 256));
  const LogContents log = ReadLogText(noise, "noise");
  EXPECT_TRUE(log.records.empty());
  EXPECT_GT(log.problem_count, 0);
}

}  // namespace
}  // namespace parlab

namespace parlab {
namespace {

// The reader's own fast path for LogWriter's lines must read every line as
// protobuf's JSON parser does, and leave the rest to it.
TEST(ParseRecordLineTest, FastPathAgreesWithProtobuf) {
  const std::vector<std::string> lines = {
      R"({"id":"7","trial":-1,"worker":1,"attempt":2,"status":"TASK_TIMED_OUT","error":"",)"
      R"("checksum":1.25,"t_submit_ns":"100","t_enqueued_ns":"110","t_dequeued_ns":"120",)"
      R"("t_decoded_ns":"130","t_compute_start_ns":"140","t_compute_end_ns":"150",)"
      R"("t_result_enqueued_ns":"160","t_result_dequeued_ns":"170","signal":6})",
      R"( { "id" : 7 , "attempt" : 1, "status": 2, "t_submit_ns": 100, "checksum": -3e-5 } )",
      R"({"id":"8","attempt":1,"t_submit_ns":"100","error":"say \"why\" \u00e9"})",
      R"({"id":"9","attempt":1,"t_submit_ns":"100","checksum":"NaN"})",
      R"({"id":"18446744073709551615","attempt":1,"t_submit_ns":"9223372036854775807"})",
  };
  for (const std::string& line : lines) {
    Result<ParsedRecord> parsed = ParseRecordLine(line);
    ASSERT_TRUE(parsed.ok()) << line << ": " << parsed.status().message();
    pb::TaskRecord expected;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &expected).ok()) << line;
    const TaskRecord& r = parsed->record;
    EXPECT_EQ(r.id, expected.id()) << line;
    EXPECT_EQ(r.trial, expected.trial()) << line;
    EXPECT_EQ(r.worker, expected.worker()) << line;
    EXPECT_EQ(r.attempt, expected.attempt()) << line;
    EXPECT_EQ(static_cast<int>(r.outcome), static_cast<int>(expected.status())) << line;
    EXPECT_EQ(r.signal, expected.signal()) << line;
    if (!std::isnan(expected.checksum())) {
      EXPECT_EQ(r.checksum, expected.checksum()) << line;
    }
    EXPECT_EQ(parsed->error, expected.error()) << line;
    EXPECT_EQ(r.t.submit_ns, expected.t_submit_ns()) << line;
    EXPECT_EQ(r.t.result_dequeued_ns, expected.t_result_dequeued_ns()) << line;
  }
  // A repeated key is left to protobuf, which keeps the last value.
  Result<ParsedRecord> repeated =
      ParseRecordLine(R"({"id":"1","id":"2","attempt":1,"t_submit_ns":"5"})");
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->record.id, 2u);
  // Lines both refuse: a leading zero, an int32 too large.
  for (const char* line : {R"({"id":"1","attempt":01,"t_submit_ns":"5"})",
                           R"({"id":"1","attempt":1,"worker":4294967296,"t_submit_ns":"5"})"}) {
    EXPECT_FALSE(ParseRecordLine(line).ok()) << line;
  }
}

}  // namespace
}  // namespace parlab

namespace parlab {
namespace {

// Deep nesting is refused before protobuf's parsers see it (they would take
// minutes on an env_json nested 200,000 deep).
TEST(LogReaderDepthTest, DeepNestingIsRefusedQuickly) {
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  EXPECT_EQ(JsonNestingDepth(deep), 200'000);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[","b":[{"c":"\"]"}]})"), 3);
  EXPECT_FALSE(ParseRecordLine("{\"id\":" + deep + "}").ok());
  EXPECT_FALSE(ParseHeaderLine("{\"version\":1,\"x\":" + deep + "}").ok());
  const std::string record =
      R"({"id":"1","trial":0,"worker":0,"attempt":1,"status":"TASK_OK","t_submit_ns":"5"})";
  const LogContents log =
      ReadLogText("{\"version\":1}\n" + record + "\n{\"id\":" + deep + "}\n", "deep.jsonl");
  EXPECT_EQ(log.records.size(), 1u);
  ASSERT_EQ(log.problems.size(), 1u);
  EXPECT_EQ(log.problems[0].line, 3);
}

// A protobuf message quotes the input after a newline; only its first line is kept.
TEST(LogReaderDepthTest, ProblemsAreOneLineOfText) {
  const LogContents log = ReadLogText("{\"version\":1}\n{\"id\":\x01\x02\n", "bytes.jsonl");
  ASSERT_EQ(log.problems.size(), 1u);
  for (char c : log.problems[0].message) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
}

}  // namespace
}  // namespace parlab
