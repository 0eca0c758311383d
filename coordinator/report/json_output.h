#pragma once
// parlab's one way to print a result as JSON: a protobuf message (proto/
// parlab.proto, proto/report.proto) through Protobuf's own JSON printer —
// snake_case names as in the .proto, every field printed (0, "" and false
// too, so a reader sees the whole schema), 64-bit integers as strings, unset
// optional fields left out. No command writes JSON by hand. Thread-safe.

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "shared/status.h"

namespace parlab {

// One JSON object on one line, no trailing newline. String fields that are
// not valid UTF-8 (text from /proc or a child) are printed with U+FFFD in
// place of the bad bytes (shared/utf8.h), never dropped.
std::string ToJson(const google::protobuf::Message& message);

// Replaces invalid UTF-8 in every string field of `message` and of the
// messages inside it, in place.
void MakeStringsValidUtf8(google::protobuf::Message& message);

// Reads `json` into `message` as Protobuf's parser does, refusing a field the
// schema does not have: what a test checks every --json against.
Status FromJson(std::string_view json, google::protobuf::Message& message);

}  // namespace parlab
