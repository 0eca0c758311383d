#include "coordinator/report/json_output.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <vector>

#include "shared/check.h"
#include "shared/utf8.h"

namespace parlab {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void MakeStringsValidUtf8(Message& message) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // the set ones only
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          std::string scratch;
          const std::string& text =
              reflection->GetRepeatedStringReference(message, field, i, &scratch);
          if (!IsValidUtf8(text))
            reflection->SetRepeatedString(&message, field, i, ValidUtf8(text));
        }
      } else {
        std::string scratch;
        const std::string& text = reflection->GetStringReference(message, field, &scratch);
        if (!IsValidUtf8(text)) reflection->SetString(&message, field, ValidUtf8(text));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          MakeStringsValidUtf8(*reflection->MutableRepeatedMessage(&message, field, i));
        }
      } else {
        MakeStringsValidUtf8(*reflection->MutableMessage(&message, field));
      }
    }
  }
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  // The printer would refuse (or pass through) invalid UTF-8: print a copy
  // whose strings are made valid.
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  MakeStringsValidUtf8(*copy);
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(*copy, &json, options);
  // A message with valid strings always prints: anything else is a bug.
  PARLAB_CHECK(status.ok()) << "printing " << message.GetTypeName()
                            << " as JSON: " << status.ToString();
  return json;
}

Status FromJson(std::string_view json, Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return Status::Ok();
  return InvalidArgument("not a " + message.GetTypeName() + ": " + status.ToString());
}

}  // namespace parlab
