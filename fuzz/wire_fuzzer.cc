// Fuzzes the frame decoder (shared/wire.h) on arbitrary bytes, as a peer on a
// control or uds socket could send them: DecodeFrameLength on the prefix,
// ParseFrame on the body, FrameParser (which reuses one frame across parses,
// as the rings' readers do) on the prefixed frame and then the whole input,
// and ReadFrame on a stream of several frames (a memfd stands in for the
// socket). Whatever the bytes, the decoder must
// return a value or an error: no crash, no over-read, no allocation of the
// length a peer claims beyond kMaxFrameBytes; and a reused parser (whose hand
// readers take task and result frames of the kind it parsed last) must read
// what protobuf reads from scratch. A result frame that
// CheckResultFrame passes is then read (shared/task_frame.h): its deltas
// must give every task stamps in order, none wrapped. Every frame that
// parses is written again by FrameWriter, which must write protobuf's bytes.

#include <google/protobuf/stubs/logging.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "proto/parlab.pb.h"
#include "shared/frame_writer.h"
#include "shared/task_frame.h"
#include "shared/wire.h"

namespace {

// One memfd for the whole run: created once, rewritten per input.
int StreamFd() {
  static const int fd = memfd_create("wire_fuzzer", MFD_CLOEXEC);
  return fd;
}

// One parser for the whole run, as a worker keeps one for its life.
parlab::FrameParser& Parser() {
  static parlab::FrameParser parser(4096);
  return parser;
}

// Reads every answer of a frame CheckResultFrame passed: a task that ran
// starts no earlier than it was taken and ends no earlier than it started.
void ReadAnswers(const parlab::pb::ResultFrame& frame) {
  if (!parlab::CheckResultFrame(frame).ok()) return;
  parlab::ResultFrameReader reader(frame);
  parlab::TaskAnswer answer;
  int64_t previous_end_ns = frame.t_dequeued_ns();
  for (int i = 0; reader.Next(answer); ++i) {
    if (answer.dequeued_ns != previous_end_ns) __builtin_trap();
    if (frame.compute_start_after_ns(i) < 0) continue;  // never ran
    if (answer.compute_start_ns < answer.dequeued_ns) __builtin_trap();
    if (answer.compute_end_ns < answer.compute_start_ns) __builtin_trap();
    previous_end_ns = answer.compute_end_ns;
  }
}

}  // namespace

// Protobuf logs every string field with invalid UTF-8 it parses (and then
// refuses the message, which is what is tested): silence it, or the fuzzer
// spends its time writing to stderr.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using parlab::pb::Frame;
  if (size >= parlab::kFrameLengthBytes) {
    parlab::Result<uint32_t> length = parlab::DecodeFrameLength(data, "fuzzer");
    if (length.ok() && *length <= size - parlab::kFrameLengthBytes) {
      Frame frame;
      static_cast<void>(
          parlab::ParseFrame(data + parlab::kFrameLengthBytes, *length, "fuzzer", frame));
      static_cast<void>(Parser().Parse(data + parlab::kFrameLengthBytes, *length, "fuzzer"));
    }
  }
  Frame whole;
  const bool parsed = parlab::ParseFrame(data, size, "fuzzer", whole).ok();
  // After the frame above, and after the last input's: whatever was reused
  // must not leak into this parse, which must agree with a fresh one.
  parlab::Result<const Frame*> reused = Parser().Parse(data, size, "fuzzer");
  if (reused.ok() != parsed) __builtin_trap();
  if (parsed && (*reused)->SerializeAsString() != whole.SerializeAsString()) __builtin_trap();
  // A frame of the kind parsed last takes the hand readers (task and result
  // frames): prime a second parser with that kind first, so every such input
  // reaches them, and hold them to protobuf's reading too.
  if (size > 0 && (data[0] == 0x42 || data[0] == 0x4a)) {
    static parlab::FrameParser primed_parser(4096);
    Frame primer;
    if (data[0] == 0x42) primer.mutable_task_frame()->add_ids(1);
    if (data[0] == 0x4a) primer.mutable_result_frame()->add_ids(1);
    const std::string primer_bytes = primer.SerializeAsString();
    if (!primed_parser.Parse(primer_bytes.data(), primer_bytes.size(), "fuzzer").ok()) {
      __builtin_trap();
    }
    parlab::Result<const Frame*> primed = primed_parser.Parse(data, size, "fuzzer");
    if (primed.ok() != parsed) __builtin_trap();
    if (parsed && (*primed)->SerializeAsString() != whole.SerializeAsString()) __builtin_trap();
  }
  if (parsed && whole.has_result_frame()) ReadAnswers(whole.result_frame());
  // Whatever parsed, FrameWriter writes back what protobuf would.
  if (parsed) {
    parlab::FrameWriter writer;
    if (writer.Write(whole) != whole.SerializeAsString()) __builtin_trap();
  }

  // The same bytes as a stream: read frames until the first error.
  const int fd = StreamFd();
  if (fd < 0 || ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) return 0;
  if (!parlab::WriteAll(fd, data, size).ok() || lseek(fd, 0, SEEK_SET) != 0) return 0;
  for (int i = 0; i < 64; ++i) {
    Frame frame;
    if (!parlab::ReadFrame(fd, "fuzzer", frame).ok()) break;
    // A frame that parsed must serialise again (the coordinator echoes fields).
    std::string again;
    parlab::AppendFrame(frame, again);
  }
  return 0;
}
