#pragma once
// Reads a `--log run.jsonl` (coordinator/observe/log_writer.h): the LogHeader line,
// then one TaskRecord a line. A log is input, never trusted: a line that is
// not a record, a last line cut short by a killed run, or a header from a
// newer parlab is a problem naming its line, and every good record is still
// read. No input makes it crash. Pure functions and a plain reader; no state
// shared between calls, so safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/status.h"
#include "shared/task_record.h"

namespace parlab {

// One record line, parsed. `error` is the worker's or kernel's message of a
// failed task (TaskRecord, the plain struct, has no room for text).
struct ParsedRecord {
  TaskRecord record;
  std::string error;
};

// Parses one line (without its newline) as a TaskRecord. With
// `ignore_unknown_fields` (a newer log version) fields this parlab does not
// know are skipped; otherwise they make the line an error. The error says
// what is wrong but not where: the caller knows the line. Pure: the entry
// point of a fuzz target.
Result<ParsedRecord> ParseRecordLine(std::string_view line, bool ignore_unknown_fields = false);

// Parses a header line; an error if the line is not a LogHeader (no version).
Result<pb::LogHeader> ParseHeaderLine(std::string_view line);

// How deep `text` nests objects and arrays (brackets in strings not counted).
// Protobuf's JSON parsers take time and stack that grow with nesting, so text
// nested deeper than kMaxJsonDepth is refused before it reaches them: no
// parlab line nests deeper than 4.
int JsonNestingDepth(std::string_view text);
inline constexpr int kMaxJsonDepth = 32;

struct LogLineProblem {
  int64_t line = 0;  // 1-based; 0 for the file as a whole
  std::string message;
};

struct LogContents {
  std::string path;
  std::optional<pb::LogHeader> header;  // nullopt when line 1 is not a header
  std::vector<TaskRecord> records;      // every good record, warmups too, in file order
  std::vector<std::pair<uint64_t, std::string>> errors;  // task id → its error text
  std::vector<LogLineProblem> problems;                  // the first kMaxProblemsKept
  int64_t problem_count = 0;                             // all of them
  int64_t lines = 0;
};

inline constexpr size_t kMaxProblemsKept = 100;

// Reads the log at `path`. Errors (kInvalidArgument, naming the path) only
// when there is nothing to analyse: the file cannot be read or is empty.
// Everything else wrong is in `problems`.
Result<LogContents> ReadLog(const std::string& path);

// The same from text in memory (tests, fuzzing); `path` only names it.
LogContents ReadLogText(std::string_view text, const std::string& path);

}  // namespace parlab
