#pragma once
// LogWriter: `--log run.jsonl`. The first line is a LogHeader (the job and the
// machine as `parlab env --json` reports it); then one TaskRecord a line,
// printed with Protobuf's JSON printer, so `parlab analyse` and any JSON tool
// read it. Records are appended a trial at a time from the coordinator's
// loop, never from the hot path. Each line is flushed whole, so a killed run
// leaves a log that is valid up to its last complete line.
// One owner; not synchronised.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/runtime/record_sink.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

inline constexpr int kLogVersion = 1;

pb::TaskRecord ToProto(const TaskRecord& record);

// Appends `record` as one JSON line, newline included: what protobuf's JSON
// printer makes of ToProto(record) (snake_case names, every field), written
// directly because the printer is ~20 µs a record.
void AppendRecordLine(const TaskRecord& record, std::string& out);

// The same for a full record (a command task's: its input, exit, tails):
// protobuf's JSON printer's line, as every JSON of parlab's.
void AppendFullRecordLine(const pb::TaskRecord& record, std::string& out);

class LogWriter final : public RecordSink {
 public:
  // Creates (truncates) `path` and writes the header; the error names the path.
  static Result<std::unique_ptr<LogWriter>> Open(const std::string& path, const pb::JobSpec& job);
  ~LogWriter() override;
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  Status Append(const std::vector<TaskRecord>& records) override;
  // One line (AppendFullRecordLine), flushed, so a stopped run's log holds
  // every settled task.
  Status AppendFull(const pb::TaskRecord& record) override;
  // Flushes and closes; also done by the destructor (errors then go unreported).
  Status Close();

 private:
  LogWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  Status WriteLine(const google::protobuf::Message& message);

  std::string path_;
  std::FILE* file_;
  std::string line_;  // reused
};

}  // namespace parlab
