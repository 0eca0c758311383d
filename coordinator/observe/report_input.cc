#include "coordinator/observe/report_input.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "coordinator/observe/log_analysis.h"

namespace parlab {
namespace {

using google::protobuf::Value;

std::string_view FirstLine(std::string_view text) {
  const size_t newline = text.find('\n');
  return newline == std::string_view::npos ? text : text.substr(0, newline);
}

std::string Brief(std::string message) {
  constexpr size_t kMax = 160;
  if (message.size() > kMax) message = message.substr(0, kMax) + "...";
  return message;
}

// A JSON value parsed back into one of our messages; fields a newer parlab
// added are skipped.
Status ValueToMessage(const Value& value, google::protobuf::Message* message) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) {
    return InvalidArgument("cannot re-encode a JSON value");
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) return InvalidArgument(Brief(status.ToString()));
  return Status::Ok();
}

Status SummariesFrom(const google::protobuf::ListValue& list, const std::string& path,
                     const std::string& where, std::vector<pb::JobSummary>& out) {
  if (list.values_size() == 0) {
    return InvalidArgument(path + ": " + where + " is an empty array: nothing to report");
  }
  for (int i = 0; i < list.values_size(); ++i) {
    const Value& element = list.values(i);
    const std::string name = where + "[" + std::to_string(i) + "]";
    if (element.kind_case() != Value::kStructValue) {
      return InvalidArgument(path + ": " + name + " is not an object (a JobSummary)");
    }
    pb::JobSummary summary;
    if (Status status = ValueToMessage(element, &summary); !status.ok()) {
      return InvalidArgument(path + ": " + name + " is not a JobSummary: " + status.message());
    }
    out.push_back(std::move(summary));
  }
  return Status::Ok();
}

bool Has(const google::protobuf::Struct& object, const char* key) {
  return object.fields().count(key) != 0;
}

Result<ReportInput> FromJson(const Value& root, const std::string& path) {
  ReportInput input;
  input.path = path;
  if (root.kind_case() == Value::kListValue) {
    input.kind = ReportKind::kCompare;
    PARLAB_RETURN_IF_ERROR(SummariesFrom(root.list_value(), path, "the array", input.summaries));
    return input;
  }
  if (root.kind_case() != Value::kStructValue) {
    return InvalidArgument(path +
                           ": JSON, but neither an object nor an array: not the --json of a "
                           "parlab run, compare, sweep or analyse");
  }
  const google::protobuf::Struct& object = root.struct_value();
  const auto parse = [&](google::protobuf::Message* message, const char* what) -> Status {
    if (Status status = ValueToMessage(root, message); !status.ok()) {
      return InvalidArgument(path + ": looks like " + what +
                             " but is not one: " + status.message());
    }
    return Status::Ok();
  };
  if (Has(object, "series")) {
    input.kind = ReportKind::kSweep;
    PARLAB_RETURN_IF_ERROR(parse(&input.sweep, "`parlab sweep --json` (it has \"series\")"));
    return input;
  }
  if (Has(object, "logs")) {
    input.kind = ReportKind::kAnalysis;
    PARLAB_RETURN_IF_ERROR(parse(&input.analyses, "`parlab analyse --json` (it has \"logs\")"));
    if (input.analyses.logs_size() == 0) {
      return InvalidArgument(path + ": `parlab analyse --json` of no log: nothing to report");
    }
    return input;
  }
  if (Has(object, "rows")) {
    const Value& rows = object.fields().at("rows");
    if (rows.kind_case() != Value::kListValue) {
      return InvalidArgument(path + ": \"rows\" is not an array (of JobSummary, as compare's)");
    }
    input.kind = ReportKind::kCompare;
    PARLAB_RETURN_IF_ERROR(SummariesFrom(rows.list_value(), path, "rows", input.summaries));
    return input;
  }
  if (Has(object, "wall_mean_s")) {
    input.kind = ReportKind::kRun;
    pb::JobSummary summary;
    PARLAB_RETURN_IF_ERROR(parse(&summary, "`parlab run --json` (it has \"wall_mean_s\")"));
    input.summaries.push_back(std::move(summary));
    return input;
  }
  std::vector<std::string> names;  // sorted: a protobuf Map has no order of its own
  for (const auto& field : object.fields()) names.push_back(field.first);
  std::sort(names.begin(), names.end());
  std::string keys;
  for (const std::string& key : names) {
    if (keys.size() > 80) {
      keys += ", ...";
      break;
    }
    keys += (keys.empty() ? "" : ", ") + key;
  }
  return InvalidArgument(path + ": a JSON object with none of the keys parlab writes (" +
                         (keys.empty() ? std::string("it is empty") : "it has " + keys) +
                         "); expected a log, or the --json of run (\"wall_mean_s\"), compare (an "
                         "array or \"rows\"), sweep (\"series\") or analyse (\"logs\")");
}

}  // namespace

std::string_view ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kLog:
      return "log";
    case ReportKind::kRun:
      return "run";
    case ReportKind::kCompare:
      return "compare";
    case ReportKind::kSweep:
      return "sweep";
    case ReportKind::kAnalysis:
      return "analyse";
  }
  return "unknown";
}

Result<ReportInput> ParseReportInput(std::string_view text, const std::string& path) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument(path + ": empty: nothing to report");
  }
  const std::string_view first = FirstLine(text);
  Result<pb::LogHeader> header = ParseHeaderLine(first);
  if (header.ok() || ParseRecordLine(first).ok()) {
    ReportInput input;
    input.path = path;
    input.kind = ReportKind::kLog;
    input.log = ReadLogText(text, path);
    if (input.log.records.empty()) {
      return InvalidArgument(path + ": a parlab log without a single good task record");
    }
    input.analysis = AnalyseLog(input.log, AnalysisOptions{});
    return input;
  }
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    return InvalidArgument(path + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                           ": not anything parlab writes");
  }
  Value root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &root);
  if (!parsed.ok()) {
    return InvalidArgument(path + ": neither a parlab log (line 1 is not a log header: " +
                           Brief(header.status().message()) + ") nor JSON (" +
                           Brief(parsed.ToString()) +
                           "); expected a --log file or the --json of run, compare, sweep or "
                           "analyse");
  }
  return FromJson(root, path);
}

Result<ReportInput> ReadReportInput(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot open it");
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxReportInputBytes) {
      return InvalidArgument(path + ": larger than 1 GiB: not something parlab wrote");
    }
  }
  if (in.bad()) return InvalidArgument(path + ": cannot read it");
  return ParseReportInput(text, path);
}

}  // namespace parlab
