#include "coordinator/report/message_table.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <string>
#include <utility>
#include <vector>

namespace parlab {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// One value of a scalar field (element `index` when repeated) as CSV text:
// numbers as plain as the JSON has them, enums by name.
std::string ScalarText(const Message& message, const FieldDescriptor* field, int index) {
  const Reflection* r = message.GetReflection();
  const bool repeated = field->is_repeated();
  auto g = [](double v) { return fmt::format("{:.9g}", v); };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(repeated ? r->GetRepeatedInt32(message, field, index)
                                     : r->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(repeated ? r->GetRepeatedInt64(message, field, index)
                                     : r->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(repeated ? r->GetRepeatedUInt32(message, field, index)
                                     : r->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(repeated ? r->GetRepeatedUInt64(message, field, index)
                                     : r->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return g(repeated ? r->GetRepeatedDouble(message, field, index)
                        : r->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return g(repeated ? r->GetRepeatedFloat(message, field, index) : r->GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return std::string(
          (repeated ? r->GetRepeatedEnum(message, field, index) : r->GetEnum(message, field))
              ->name());
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r->GetRepeatedString(message, field, index) : r->GetString(message, field);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

// Every scalar inside `message` as (path, value), in field order; every
// field of the schema, set or not, as the JSON prints them.
void Flatten(const Message& message, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const Reflection* r = message.GetReflection();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const FieldDescriptor* field = descriptor->field(f);
    const std::string path = prefix + std::string(field->name());
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          Flatten(r->GetRepeatedMessage(message, field, i), fmt::format("{}[{}].", path, i), out);
        }
      } else {
        Flatten(r->GetMessage(message, field), path + ".", out);
      }
    } else if (field->is_repeated()) {
      for (int i = 0; i < r->FieldSize(message, field); ++i) {
        out.emplace_back(fmt::format("{}[{}]", path, i), ScalarText(message, field, i));
      }
    } else if (!field->has_presence() || r->HasField(message, field)) {
      out.emplace_back(path, ScalarText(message, field, 0));
    }
  }
}

// The element's own "name", else the first one inside it ("latency.name").
std::string RowName(const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [path, value] : values) {
    if (path == "name") return value;
  }
  for (const auto& [path, value] : values) {
    const size_t dot = path.rfind('.');
    if (dot != std::string::npos && path.compare(dot + 1, std::string::npos, "name") == 0) {
      return value;
    }
  }
  return "";
}

}  // namespace

Table LongTable(const Message& report) {
  Table table;
  table.columns = {"table", "row", "name", "field", "value"};
  const google::protobuf::Descriptor* descriptor = report.GetDescriptor();
  const Reflection* r = report.GetReflection();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const FieldDescriptor* field = descriptor->field(f);
    if (!field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    for (int i = 0; i < r->FieldSize(report, field); ++i) {
      std::vector<std::pair<std::string, std::string>> values;
      Flatten(r->GetRepeatedMessage(report, field, i), "", values);
      const std::string name = RowName(values);
      for (auto& [path, value] : values) {
        table.rows.push_back(
            {std::string(field->name()), std::to_string(i), name, path, std::move(value)});
      }
    }
  }
  return table;
}

}  // namespace parlab
