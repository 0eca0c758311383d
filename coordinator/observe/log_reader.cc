#include "coordinator/observe/log_reader.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "coordinator/observe/log_writer.h"

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
  if (p.has_command()) {
    r.t.spawn_ns = p.command().t_spawn_ns();
    r.t.spawned_ns = p.command().t_spawned_ns();
    r.t.exited_ns = p.command().t_exited_ns();
    r.t.collected_ns = p.command().t_collected_ns();
  }
  return r;
}

// Protobuf's messages start with the code name ("INVALID_ARGUMENT:..."),
// which says nothing to a reader of the log.
// They go on to quote the input (any bytes, over several lines): the first
// line says what is wrong.
std::string JsonProblem(const google::protobuf::util::Status& status) {
  std::string text(status.message());
  text = text.substr(0, text.find('\n'));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() > 160) text = text.substr(0, 160) + "...";
  return text;
}

// The fast path for the lines LogWriter writes: a flat object of known keys
// whose values are numbers or strings without escapes. Protobuf's JSON parser
// costs ~20 µs a line, too slow for logs of millions of tasks; this one a
// fraction of that. Anything it does not expect (an escape, a nested value,
// an unknown or repeated key, a number it cannot read exactly) returns
// nullopt and the line goes to protobuf's parser, which stays the judge.
class FlatRecordParser {
 public:
  explicit FlatRecordParser(std::string_view line)
      : p_(line.data()), end_(line.data() + line.size()) {}

  std::optional<pb::TaskRecord> Parse() {
    pb::TaskRecord r;
    SkipSpace();
    if (!Take('{')) return std::nullopt;
    SkipSpace();
    if (Take('}')) return Rest() ? std::optional<pb::TaskRecord>(r) : std::nullopt;
    uint32_t seen = 0;
    for (;;) {
      SkipSpace();
      std::string_view key, value;
      bool quoted = false;
      if (!String(key)) return std::nullopt;
      SkipSpace();
      if (!Take(':')) return std::nullopt;
      SkipSpace();
      if (p_ < end_ && *p_ == '"') {
        quoted = true;
        if (!String(value)) return std::nullopt;
      } else if (!Number(value)) {
        return std::nullopt;
      }
      const int field = Assign(key, value, quoted, r);
      if (field < 0 || (seen & (1u << field)) != 0) return std::nullopt;
      seen |= 1u << field;
      SkipSpace();
      if (Take(',')) continue;
      if (Take('}')) break;
      return std::nullopt;
    }
    return Rest() ? std::optional<pb::TaskRecord>(r) : std::nullopt;
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  bool Take(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Rest() {
    SkipSpace();
    return p_ == end_;
  }
  bool String(std::string_view& out) {
    if (!Take('"')) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
      // Escapes and control or non-ASCII bytes (UTF-8 to validate) go to protobuf.
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return true;
  }
  bool Number(std::string_view& out) {
    const char* start = p_;
    while (p_ < end_ && (std::isdigit(static_cast<unsigned char>(*p_)) || *p_ == '-' ||
                         *p_ == '.' || *p_ == 'e' || *p_ == 'E' || *p_ == '+')) {
      ++p_;
    }
    out = std::string_view(start, static_cast<size_t>(p_ - start));
    return !out.empty();
  }
  // Plain JSON integers only: no sign but '-', no leading zeros, no fraction.
  template <typename T>
  static bool Integer(std::string_view text, T& value) {
    const size_t digits_at = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() > digits_at + 1 && text[digits_at] == '0') return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
  }
  static bool Double(std::string_view text, double& value) {
    if (text.empty() || text[0] == '+' || text[0] == '.') return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
  }

  // Sets the field `key` names; returns its bit, or -1 when the fast path cannot.
  static int Assign(std::string_view key, std::string_view v, bool quoted, pb::TaskRecord& r) {
    int64_t i64 = 0;
    int32_t i32 = 0;
    uint64_t u64 = 0;
    double d = 0;
    auto stamp = [&](int bit, void (pb::TaskRecord::*set)(int64_t)) {
      if (!Integer(v, i64)) return -1;
      (r.*set)(i64);
      return bit;
    };
    auto int32 = [&](int bit, void (pb::TaskRecord::*set)(int32_t)) {
      if (!Integer(v, i32)) return -1;
      (r.*set)(i32);
      return bit;
    };
    if (key == "id") {
      if (!Integer(v, u64)) return -1;
      r.set_id(u64);
      return 0;
    }
    if (key == "trial") return int32(1, &pb::TaskRecord::set_trial);
    if (key == "worker") return int32(2, &pb::TaskRecord::set_worker);
    if (key == "attempt") return int32(3, &pb::TaskRecord::set_attempt);
    if (key == "signal") return int32(4, &pb::TaskRecord::set_signal);
    if (key == "status") {
      pb::TaskStatus status;
      if (quoted) {
        if (!pb::TaskStatus_Parse(std::string(v), &status)) return -1;
      } else {
        if (!Integer(v, i32) || !pb::TaskStatus_IsValid(i32)) return -1;
        status = static_cast<pb::TaskStatus>(i32);
      }
      r.set_status(status);
      return 5;
    }
    if (key == "error") {
      if (!quoted) return -1;
      r.set_error(std::string(v));
      return 6;
    }
    if (key == "checksum") {
      if (quoted || !Double(v, d)) return -1;
      r.set_checksum(d);
      return 7;
    }
    if (key == "t_submit_ns") return stamp(8, &pb::TaskRecord::set_t_submit_ns);
    if (key == "t_enqueued_ns") return stamp(9, &pb::TaskRecord::set_t_enqueued_ns);
    if (key == "t_dequeued_ns") return stamp(10, &pb::TaskRecord::set_t_dequeued_ns);
    if (key == "t_decoded_ns") return stamp(11, &pb::TaskRecord::set_t_decoded_ns);
    if (key == "t_compute_start_ns") return stamp(12, &pb::TaskRecord::set_t_compute_start_ns);
    if (key == "t_compute_end_ns") return stamp(13, &pb::TaskRecord::set_t_compute_end_ns);
    if (key == "t_result_enqueued_ns") return stamp(14, &pb::TaskRecord::set_t_result_enqueued_ns);
    if (key == "t_result_dequeued_ns") return stamp(15, &pb::TaskRecord::set_t_result_dequeued_ns);
    return -1;
  }

  const char* p_;
  const char* end_;
};

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
    if (log_.problems.size() < kMaxProblemsKept)
      log_.problems.push_back({line, std::move(message)});
  }

  LogContents log_;
  bool newer_ = false;
};

}  // namespace

int JsonNestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

Result<ParsedRecord> ParseRecordLine(std::string_view line, bool ignore_unknown_fields) {
  if (JsonNestingDepth(line) > kMaxJsonDepth) return InvalidArgument("nested too deeply");
  pb::TaskRecord proto;
  if (std::optional<pb::TaskRecord> fast = FlatRecordParser(line).Parse()) {
    proto = std::move(*fast);
  } else {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = ignore_unknown_fields;
    const google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &proto, options);
    if (!status.ok()) return InvalidArgument(JsonProblem(status));
  }
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
  if (JsonNestingDepth(line) > kMaxJsonDepth) return InvalidArgument("nested too deeply");
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
