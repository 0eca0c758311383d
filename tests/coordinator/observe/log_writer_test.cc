// LogWriter's record lines, formatted by hand for speed, say what protobuf's
// JSON printer says of the same record: protobuf parses them back to
// ToProto(record), field for field, including the checksum's NaN and infinities.
#include "coordinator/observe/log_writer.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

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
