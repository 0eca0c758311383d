#include "shared/frame_writer.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message_lite.h>

#include <algorithm>
#include <cstring>

namespace parlab {
namespace {

using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;
using google::protobuf::io::CodedOutputStream;

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "packed doubles are copied as they lie in memory: the wire is little-endian");

// The most bytes a varint takes, and a field's tag (numbers below 2048).
constexpr size_t kMaxVarint = 10;
constexpr size_t kMaxTag = 2;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2 };

uint8_t* WriteTag(int field, WireType type, uint8_t* out) {
  return CodedOutputStream::WriteTagToArray(static_cast<uint32_t>(field) << 3 | type, out);
}

uint8_t* WriteLength(int field, size_t bytes, uint8_t* out) {
  out = WriteTag(field, kLengthDelimited, out);
  return CodedOutputStream::WriteVarint64ToArray(bytes, out);
}

// Singular proto3 scalars: written only when not zero.
uint8_t* WriteUInt64(int field, uint64_t value, uint8_t* out) {
  if (value == 0) return out;
  out = WriteTag(field, kVarint, out);
  return CodedOutputStream::WriteVarint64ToArray(value, out);
}

// int32 and enums: a negative value is sign-extended to ten bytes.
uint8_t* WriteInt32(int field, int32_t value, uint8_t* out) {
  if (value == 0) return out;
  out = WriteTag(field, kVarint, out);
  return CodedOutputStream::WriteVarint32SignExtendedToArray(value, out);
}

// A packed array of varints, each `encode(value)` on the wire; not written
// when empty. Its length goes first, but is known only once the values are
// written: they go one byte after the tag, where a length under 128 fits,
// and move up when the length needs more bytes (Bound left room for them).
// A second pass counting bytes cost more than the write on a one-task frame.
template <typename T, typename Encode>
uint8_t* WriteVarints(int field, const RepeatedField<T>& values, Encode encode, uint8_t* out) {
  if (values.empty()) return out;
  out = WriteTag(field, kLengthDelimited, out);
  uint8_t* data = out + 1;
  uint8_t* end = data;
  for (const T value : values) end = CodedOutputStream::WriteVarint64ToArray(encode(value), end);
  const auto bytes = static_cast<size_t>(end - data);
  const size_t length_bytes = CodedOutputStream::VarintSize64(bytes);
  if (length_bytes > 1) std::memmove(data + length_bytes - 1, data, bytes);
  CodedOutputStream::WriteVarint64ToArray(bytes, out);
  return out + length_bytes + bytes;
}

// The encodings, as types (a function pointer would not be inlined).
struct AsIs {
  uint64_t operator()(uint64_t value) const { return value; }
};
struct SignExtended {  // int32 and enums
  uint64_t operator()(int value) const { return static_cast<uint64_t>(int64_t{value}); }
};
struct ZigZag {  // sint64
  uint64_t operator()(int64_t value) const {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }
};

uint8_t* WriteDoubles(int field, const RepeatedField<double>& values, uint8_t* out) {
  if (values.empty()) return out;
  const size_t bytes = static_cast<size_t>(values.size()) * sizeof(double);
  out = WriteLength(field, bytes, out);
  std::memcpy(out, values.data(), bytes);
  return out + bytes;
}

// Nested messages, by protobuf: Bound sized them (caching their sizes),
// writing uses those.
template <typename Message>
size_t MessagesBound(const RepeatedPtrField<Message>& messages) {
  size_t bytes = 0;
  for (const Message& message : messages) bytes += kMaxTag + kMaxVarint + message.ByteSizeLong();
  return bytes;
}

template <typename Message>
uint8_t* WriteMessages(int field, const RepeatedPtrField<Message>& messages, uint8_t* out) {
  for (const Message& message : messages) {
    out = WriteLength(field, static_cast<size_t>(message.GetCachedSize()), out);
    out = message.SerializeWithCachedSizesToArray(out);
  }
  return out;
}

// The most a packed array takes: its tag, its length, each value's most.
template <typename T>
size_t PackedBound(const RepeatedField<T>& values, size_t value_bytes) {
  return kMaxTag + kMaxVarint + static_cast<size_t>(values.size()) * value_bytes;
}

// Each frame's fields at most: counts and sizes read, nothing encoded.
size_t Bound(const pb::TaskFrame& tasks) {
  return 4 * (kMaxTag + kMaxVarint) + PackedBound(tasks.ids(), kMaxVarint) +
         MessagesBound(tasks.inputs());
}

size_t Bound(const pb::ResultFrame& answers) {
  return 4 * (kMaxTag + kMaxVarint) + PackedBound(answers.ids(), kMaxVarint) +
         PackedBound(answers.statuses(), kMaxVarint) +
         PackedBound(answers.checksums(), sizeof(double)) +
         PackedBound(answers.flops(), sizeof(double)) +
         PackedBound(answers.bytes(), sizeof(double)) +
         PackedBound(answers.compute_start_after_ns(), kMaxVarint) +
         PackedBound(answers.compute_ns(), kMaxVarint) + MessagesBound(answers.failures()) +
         MessagesBound(answers.commands());
}

// Both below go field by field in field-number order, as protobuf does.

uint8_t* WriteBody(const pb::TaskFrame& tasks, uint8_t* out) {
  using T = pb::TaskFrame;
  out = WriteUInt64(T::kConstantsFieldNumber, tasks.constants(), out);
  out = WriteVarints(T::kIdsFieldNumber, tasks.ids(), AsIs(), out);
  out = WriteInt32(T::kFaultFieldNumber, tasks.fault(), out);
  out = WriteUInt64(T::kFaultIndexFieldNumber, tasks.fault_index(), out);
  return WriteMessages(T::kInputsFieldNumber, tasks.inputs(), out);
}

uint8_t* WriteBody(const pb::ResultFrame& answers, uint8_t* out) {
  using R = pb::ResultFrame;
  out = WriteInt32(R::kWorkerFieldNumber, answers.worker(), out);
  out = WriteVarints(R::kIdsFieldNumber, answers.ids(), AsIs(), out);
  out = WriteVarints(R::kStatusesFieldNumber, answers.statuses(), SignExtended(), out);
  out = WriteDoubles(R::kChecksumsFieldNumber, answers.checksums(), out);
  out = WriteDoubles(R::kFlopsFieldNumber, answers.flops(), out);
  out = WriteDoubles(R::kBytesFieldNumber, answers.bytes(), out);
  out = WriteMessages(R::kFailuresFieldNumber, answers.failures(), out);
  if (answers.t_dequeued_ns() != 0) {
    out = WriteTag(R::kTDequeuedNsFieldNumber, kFixed64, out);
    out = CodedOutputStream::WriteLittleEndian64ToArray(
        static_cast<uint64_t>(answers.t_dequeued_ns()), out);
  }
  out = WriteUInt64(R::kDecodedAfterNsFieldNumber, answers.decoded_after_ns(), out);
  out = WriteUInt64(R::kResultEnqueuedAfterNsFieldNumber, answers.result_enqueued_after_ns(), out);
  out = WriteVarints(R::kComputeStartAfterNsFieldNumber, answers.compute_start_after_ns(), ZigZag(),
                     out);
  out = WriteVarints(R::kComputeNsFieldNumber, answers.compute_ns(), AsIs(), out);
  return WriteMessages(R::kCommandsFieldNumber, answers.commands(), out);
}

// Fields a newer peer sent that this build does not know: protobuf writes
// them back after the known ones, and so must a frame that carries them.
// Whether there are any is a tag bit in MessageLite's metadata, a protected
// member: read here through a derived class's pointer to it, a load and a
// test, where Reflection::GetUnknownFields (three calls into libprotobuf)
// cost ~8 ns a message, more than the rest of a noop's answer.
struct UnknownFields : google::protobuf::MessageLite {
  static bool None(const google::protobuf::MessageLite& message) {
    return !(message.*&UnknownFields::_internal_metadata_).have_unknown_fields();
  }
};

}  // namespace

uint8_t* FrameWriter::Room(size_t bytes) {
  if (kHeaderRoom + bytes <= kInlineBytes) return inline_;
  if (kHeaderRoom + bytes > grown_bytes_) {
    grown_bytes_ = std::max(kHeaderRoom + bytes, 2 * grown_bytes_);
    grown_.reset(new uint8_t[grown_bytes_]);
  }
  return grown_.get();
}

std::string_view FrameWriter::Write(const pb::Frame& frame) {
  // The body goes after room for the Frame's tag and its length, which are
  // written once it is: right before it, the frame starting where they do.
  uint8_t* buffer = nullptr;
  uint8_t* end = nullptr;
  int field = 0;
  if (UnknownFields::None(frame)) {
    if (frame.has_task_frame() && UnknownFields::None(frame.task_frame())) {
      field = pb::Frame::kTaskFrameFieldNumber;
      buffer = Room(Bound(frame.task_frame()));
      end = WriteBody(frame.task_frame(), buffer + kHeaderRoom);
    } else if (frame.has_result_frame() && UnknownFields::None(frame.result_frame())) {
      field = pb::Frame::kResultFrameFieldNumber;
      buffer = Room(Bound(frame.result_frame()));
      end = WriteBody(frame.result_frame(), buffer + kHeaderRoom);
    }
  }
  if (buffer == nullptr) {
    const size_t bytes = frame.ByteSizeLong();
    buffer = Room(bytes);
    frame.SerializeWithCachedSizesToArray(buffer);
    return std::string_view(reinterpret_cast<const char*>(buffer), bytes);
  }
  uint8_t* body = buffer + kHeaderRoom;
  const auto body_bytes = static_cast<size_t>(end - body);
  const size_t header_bytes = 1 + CodedOutputStream::VarintSize64(body_bytes);  // tag 8 or 9
  uint8_t* start = body - header_bytes;
  WriteLength(field, body_bytes, start);
  return std::string_view(reinterpret_cast<const char*>(start), header_bytes + body_bytes);
}

}  // namespace parlab
