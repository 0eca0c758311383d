// LogWriter's record lines, formatted by hand for speed, say what protobuf's
// JSON printer says of the same record: protobuf parses them back to
// ToProto(record), field for field, including the checksum's NaN and infinities.
#include "coordinator/observe/log_writer.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace parlab {
namespace {

TaskRecord Sample(double checksum) {
  TaskRecord r;
  r.id = 18'446'744'073'709'551'615ull;
  r.trial = -3;
  r.worker = 7;
  r.attempt = 2;
  r.outcome = TaskOutcome::kWorkerDied;
  r.signal = 9;
  r.checksum = checksum;
  r.t = {1, 22, 333, 4444, 55555, 666666, 7777777, 9'223'372'036'854'775'807};
  return r;
}

TEST(LogWriterTest, RecordLineIsWhatProtobufReadsBack) {
  for (double checksum :
       {0.0, -1.5, 1e-300, 123456789.123456789, 6.02e23, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    const TaskRecord record = Sample(checksum);
    std::string line;
    AppendRecordLine(record, line);
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    pb::TaskRecord parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, ToProto(record)))
        << line << "\n"
        << parsed.DebugString();
  }
}

TEST(LogWriterTest, NanChecksumIsTheStringProtobufUses) {
  std::string line;
  AppendRecordLine(Sample(std::nan("")), line);
  pb::TaskRecord parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  EXPECT_TRUE(std::isnan(parsed.checksum()));
}

TEST(LogWriterTest, SameTextAsProtobufsPrinter) {
  const TaskRecord record = Sample(2.5);
  std::string line;
  AppendRecordLine(record, line);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string expected;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(ToProto(record), &expected, options).ok());
  EXPECT_EQ(line, expected + "\n");
}

TEST(LogWriterTest, PlaceFieldsAreWhatProtobufPrintsForHostAndPath) {
  const TaskRecord record = Sample(2.5);
  for (const char* host : {"node-1", "a\"quoted\\host", "ünïcode"}) {
    std::string line;
    AppendRecordLine(record, line, PlaceFields(host, "mpi"));
    pb::TaskRecord expected = ToProto(record);
    expected.set_host(host);
    expected.set_path("mpi");
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    std::string printed;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(expected, &printed, options).ok());
    EXPECT_EQ(line, printed + "\n");
  }
}

// An mpi job's header is rewritten in place when the places are known, and
// again at the end: it stays line 1, the records after it stay whole.
TEST(LogWriterTest, SetPlacesRewritesTheHeaderInItsRoom) {
  const std::string path = ::testing::TempDir() + "log_writer_test_" + std::to_string(getpid());
  pb::JobSpec job;
  job.set_transport(pb::MPI);
  job.set_workers(2);
  Result<std::unique_ptr<LogWriter>> log = LogWriter::Open(path, job);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  std::vector<pb::WorkerPlace> places(2);
  for (int w = 0; w < 2; ++w) {
    places[static_cast<size_t>(w)].set_worker(w);
    places[static_cast<size_t>(w)].set_rank(w + 1);
    places[static_cast<size_t>(w)].set_host("host-" + std::to_string(w));
    places[static_cast<size_t>(w)].set_path("mpi");
    places[static_cast<size_t>(w)].mutable_clock_before()->set_bound_ns(100 + w);
  }
  ASSERT_TRUE((*log)->SetPlaces(places).ok());
  TaskRecord record = Sample(1.0);
  record.worker = 1;
  ASSERT_TRUE((*log)->Append({record, record}).ok());
  for (pb::WorkerPlace& place : places) place.mutable_clock_after()->set_bound_ns(7);
  ASSERT_TRUE((*log)->SetPlaces(places).ok());
  ASSERT_TRUE((*log)->Close().ok());

  std::ifstream in(path);
  std::string header_line, record_line, extra;
  ASSERT_TRUE(std::getline(in, header_line));
  ASSERT_TRUE(std::getline(in, record_line));
  ASSERT_TRUE(std::getline(in, extra));
  EXPECT_FALSE(std::getline(in, extra));
  pb::LogHeader header;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(header_line, &header).ok());
  ASSERT_EQ(header.places_size(), 2);
  EXPECT_EQ(header.places(1).host(), "host-1");
  EXPECT_EQ(header.places(1).clock_before().bound_ns(), 101);
  EXPECT_EQ(header.places(1).clock_after().bound_ns(), 7);
  pb::TaskRecord parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(record_line, &parsed).ok());
  EXPECT_EQ(parsed.host(), "host-1");
  EXPECT_EQ(parsed.path(), "mpi");
  std::remove(path.c_str());
}

TEST(LogWriterTest, FullRecordLineIsWhatProtobufReadsBack) {
  pb::TaskRecord record = ToProto(Sample(1.5));
  record.set_error("exited with code 3: \"quoted\"\n");
  pb::CommandOutcome& c = *record.mutable_command();
  c.set_exit_code(3);
  c.set_signal(15);
  c.set_timed_out(true);
  c.set_stdout_bytes(123456789012);
  c.set_stderr_bytes(4);
  c.set_stdout_in_file(true);
  c.set_stdout_tail("tail \\ with \t tabs\n");
  c.set_stderr_tail("caf\xc3\xa9\n");
  c.set_t_spawn_ns(11);
  c.set_t_spawned_ns(12);
  c.set_t_exited_ns(13);
  c.set_t_collected_ns(14);
  c.set_input("my \"odd\" file's name.txt");
  c.set_seq(42);
  c.set_command_line("wc -c 'my \"odd\" file'\\''s name.txt'");
  std::string line;
  AppendFullRecordLine(record, line);
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  pb::TaskRecord parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(record, parsed))
      << record.DebugString() << "\n"
      << parsed.DebugString();
}

}  // namespace
}  // namespace parlab
