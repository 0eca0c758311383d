// Fuzzes the --log reader (coordinator/observe/log_reader.h) on arbitrary text, as a
// truncated, corrupt or hostile run.jsonl would hold it: ReadLogText on the
// whole input (header line, records, problems) and ParseRecordLine /
// ParseHeaderLine on it as one line. Whatever the bytes, the reader must
// return records and problems: no crash, no runaway recursion (nesting is
// refused before protobuf sees it), and a record that parsed must survive
// being printed again.

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coordinator/observe/log_reader.h"
#include "coordinator/observe/log_writer.h"

// Protobuf logs what it refuses; the refusal is what is tested.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const parlab::LogContents contents = parlab::ReadLogText(text, "fuzz.jsonl");
  if (contents.problems.size() > parlab::kMaxProblemsKept) __builtin_trap();
  for (const parlab::TaskRecord& record : contents.records) {
    std::string line;
    parlab::AppendRecordLine(record, line);
  }
  static_cast<void>(parlab::ParseRecordLine(text, /*ignore_unknown_fields=*/true));
  static_cast<void>(parlab::ParseHeaderLine(text));
  static_cast<void>(parlab::JsonNestingDepth(text));
  return 0;
}
