#pragma once
// LogWriter: `--log run.jsonl`. The first line is a LogHeader (the job and the
// machine as `parlab env --json` reports it); then one TaskRecord a line,
// printed with Protobuf's JSON printer, so `parlab analyse` and any JSON tool
// read it. Records are appended a trial at a time from the coordinator's
// loop, never from the hot path. Each line is flushed whole, so a killed run
// leaves a log that is valid up to its last complete line.
//
// A job whose workers may be on other hosts (mpi) learns where they run and
// how their clocks stand only once it has started, and its second clock
// estimates at its end: SetPlaces rewrites the header in place, in room the
// header line reserved for it (trailing spaces, which JSON ignores), so the
// header stays line 1 and a log cut short still has the first estimates.
// One owner; not synchronised.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/runtime/record_sink.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

inline constexpr int kLogVersion = 1;

pb::TaskRecord ToProto(const TaskRecord& record);

// A record's last two fields, host and path, as protobuf's JSON printer
// writes them: `"host":"a","path":"mpi"` (made once per worker, by the
// printer, so a host name is escaped as protobuf escapes it).
std::string PlaceFields(const std::string& host, const std::string& path);
// Jobs on one host leave them empty.
inline constexpr std::string_view kNoPlaceFields = R"("host":"","path":"")";

// Appends `record` as one JSON line, newline included: what protobuf's JSON
// printer makes of ToProto(record) with `place_fields`' host and path
// (snake_case names, every field), written directly because the printer is
// ~20 µs a record.
void AppendRecordLine(const TaskRecord& record, std::string& out,
                      std::string_view place_fields = kNoPlaceFields);

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
  // Records the places in the header and names each worker's host and path
  // in its records from now on.
  Status SetPlaces(const std::vector<pb::WorkerPlace>& places) override;
  // One line (AppendFullRecordLine), flushed, so a stopped run's log holds
  // every settled task.
  Status AppendFull(const pb::TaskRecord& record) override;
  // Flushes and closes; also done by the destructor (errors then go unreported).
  Status Close();

 private:
  LogWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  // The header, padded to header_bytes_ when room is reserved, at offset 0.
  Status WriteHeader();

  std::string path_;
  std::FILE* file_;
  std::string line_;  // reused
  pb::LogHeader header_;
  size_t header_bytes_ = 0;                // the header line's reserved size; 0: none
  std::vector<std::string> place_fields_;  // by worker: PlaceFields of its place
};

}  // namespace parlab
