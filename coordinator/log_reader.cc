#include "coordinator/log_reader.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "coordinator/log_writer.h"

namespace parlab {
namespace {

TaskRecord FromProto(const pb::TaskRecord& p) {
  TaskRecord r;
  r.id = p.id();
  r.trial = p.trial();
  r.worker = p.worker();
  r.attempt = p.attempt();
  r.outcome = static_cast<TaskOutcome>(p.status());
  r.signal = p.signal();
  r.checksum = p.checksum();
  r.t.submit_ns = p.t_submit_ns();
  r.t.enqueued_ns = p.t_enqueued_ns();
  r.t.dequeued_ns = p.t_dequeued_ns();
  r.t.decoded_ns = p.t_decoded_ns();
  r.t.compute_start_ns = p.t_compute_start_ns();
  r.t.compute_end_ns = p.t_compute_end_ns();
  r.t.result_enqueued_ns = p.t_result_enqueued_ns();
  r.t.result_dequeued_ns = p.t_result_dequeued_ns();
  return r;
}

// Protobuf's messages start with the code name ("INVALID_ARGUMENT:..."),
// which says nothing to a reader of the log.
std::string JsonProblem(const google::protobuf::util::Status& status) {
  std::string text(status.message());
  if (text.size() > 160) text = text.substr(0, 160) + "...";
  return text;
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  return line;
}

class LogBuilder {
 public:
  explicit LogBuilder(std::string path) { log_.path = std::move(path); }

  // `complete` is false for a last line without its newline.
  void AddLine(std::string_view line, bool complete) {
    ++log_.lines;
    const int64_t number = log_.lines;
    line = TrimLine(line);
    if (line.empty()) {
      if (complete) Problem(number, "empty line");
      return;
    }
    if (number == 1) {
      Result<pb::LogHeader> header = ParseHeaderLine(line);
      if (header.ok()) {
        if (header->version() > kLogVersion) {
          newer_ = true;
          Problem(number, "the log is version " + std::to_string(header->version()) +
                              ", newer than this parlab reads (" + std::to_string(kLogVersion) +
                              "): fields it does not know are skipped");
        }
        log_.header = std::move(header).value();
        return;
      }
      if (!ParseRecordLine(line).ok()) {
        Problem(number, (complete ? "not a parlab log header: " : "cut short: ") +
                            header.status().message());
        return;
      }
      Problem(number, "no header (the log starts with a record): the job and machine are unknown");
    }
    Result<ParsedRecord> parsed = ParseRecordLine(line, newer_);
    if (!parsed.ok()) {
      Problem(number, complete ? "not a task record: " + parsed.status().message()
                               : "cut short (the run stopped while writing it?): " +
                                     parsed.status().message());
      return;
    }
    if (!parsed->error.empty()) log_.errors.emplace_back(parsed->record.id, parsed->error);
    log_.records.push_back(parsed->record);
  }

  LogContents Finish() && {
    if (log_.lines == 0) Problem(0, "the log is empty");
    return std::move(log_);
  }

 private:
  void Problem(int64_t line, std::string message) {
    ++log_.problem_count;
    if (log_.problems.size() < kMaxProblemsKept) log_.problems.push_back({line, std::move(message)});
  }

  LogContents log_;
  bool newer_ = false;
};

}  // namespace

Result<ParsedRecord> ParseRecordLine(std::string_view line, bool ignore_unknown_fields) {
  pb::TaskRecord proto;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = ignore_unknown_fields;
  const google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &proto, options);
  if (!status.ok()) return InvalidArgument(JsonProblem(status));
  // Every record the coordinator writes has its submit stamp; `{}` or another
  // message whose fields happen to be known is not a record.
  if (proto.t_submit_ns() <= 0) return InvalidArgument("no submit stamp (t_submit_ns)");
  if (proto.attempt() < 1) {
    return InvalidArgument("attempt must be 1 or more, got " + std::to_string(proto.attempt()));
  }
  if (!pb::TaskStatus_IsValid(proto.status())) {
    return InvalidArgument("unknown status " + std::to_string(proto.status()));
  }
  ParsedRecord parsed;
  parsed.record = FromProto(proto);
  parsed.error = proto.error();
  return parsed;
}

Result<pb::LogHeader> ParseHeaderLine(std::string_view line) {
  pb::LogHeader header;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // a newer header may say more
  const google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &header, options);
  if (!status.ok()) return InvalidArgument(JsonProblem(status));
  if (header.version() < 1) return InvalidArgument("no version field");
  return header;
}

LogContents ReadLogText(std::string_view text, const std::string& path) {
  LogBuilder builder(path);
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      builder.AddLine(text, /*complete=*/false);
      break;
    }
    builder.AddLine(text.substr(0, end), /*complete=*/true);
    text.remove_prefix(end + 1);
  }
  return std::move(builder).Finish();
}

Result<LogContents> ReadLog(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (file == nullptr) {
    return InvalidArgument("cannot read the log " + path + ": " + std::strerror(errno));
  }
  LogBuilder builder(path);
  char* buffer = nullptr;
  size_t capacity = 0;
  ssize_t length = 0;
  while ((length = getline(&buffer, &capacity, file.get())) > 0) {
    const auto size = static_cast<size_t>(length);
    const bool complete = buffer[size - 1] == '\n';
    builder.AddLine(std::string_view(buffer, complete ? size - 1 : size), complete);
  }
  const bool failed = std::ferror(file.get()) != 0;
  const int saved_errno = errno;
  std::free(buffer);
  if (failed) {
    return InvalidArgument("cannot read the log " + path + ": " + std::strerror(saved_errno));
  }
  LogContents log = std::move(builder).Finish();
  if (log.lines == 0) return InvalidArgument("the log " + path + " is empty");
  return log;
}

}  // namespace parlab
