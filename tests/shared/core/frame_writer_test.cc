#include "shared/frame_writer.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace parlab {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Written(const pb::Frame& frame) {
  FrameWriter writer;
  return std::string(writer.Write(frame));
}

// Values where varints change length, signs, and the ends of each type.
template <typename T>
T Pick(std::mt19937_64& random) {
  const T edges[] = {0,
                     1,
                     127,
                     128,
                     16383,
                     16384,
                     std::numeric_limits<T>::max(),
                     std::numeric_limits<T>::min(),
                     static_cast<T>(-1),
                     static_cast<T>(random())};
  return edges[random() % std::size(edges)];
}

double PickDouble(std::mt19937_64& random) {
  const double edges[] = {0.0, -0.0, 1.5, -3.25e300, std::nan(""), 1e-310};
  return edges[random() % std::size(edges)];
}

// Sets every field of `message` — each repeated one to 0..`most` entries —
// and of its nested messages `depth` levels down, from the descriptor: a
// field added to the proto is filled here without this test knowing its
// name, so a writer that does not know it fails below.
void FillEveryField(Message& message, std::mt19937_64& random, int depth, int most = 3) {
  const Reflection& set = *message.GetReflection();
  const google::protobuf::Descriptor& type = *message.GetDescriptor();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    const bool repeated = field->is_repeated();
    const int count = repeated ? static_cast<int>(random() % static_cast<unsigned>(most + 1)) : 1;
    for (int k = 0; k < count; ++k) {
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          repeated ? set.AddInt32(&message, field, Pick<int32_t>(random))
                   : set.SetInt32(&message, field, Pick<int32_t>(random));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          repeated ? set.AddInt64(&message, field, Pick<int64_t>(random))
                   : set.SetInt64(&message, field, Pick<int64_t>(random));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          repeated ? set.AddUInt32(&message, field, Pick<uint32_t>(random))
                   : set.SetUInt32(&message, field, Pick<uint32_t>(random));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          repeated ? set.AddUInt64(&message, field, Pick<uint64_t>(random))
                   : set.SetUInt64(&message, field, Pick<uint64_t>(random));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          repeated ? set.AddDouble(&message, field, PickDouble(random))
                   : set.SetDouble(&message, field, PickDouble(random));
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          repeated ? set.AddFloat(&message, field, static_cast<float>(PickDouble(random)))
                   : set.SetFloat(&message, field, static_cast<float>(PickDouble(random)));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          repeated ? set.AddBool(&message, field, random() % 2 == 0)
                   : set.SetBool(&message, field, random() % 2 == 0);
          break;
        case FieldDescriptor::CPPTYPE_ENUM:  // open enums: any int32, named or not
          repeated ? set.AddEnumValue(&message, field, Pick<int32_t>(random))
                   : set.SetEnumValue(&message, field, Pick<int32_t>(random));
          break;
        case FieldDescriptor::CPPTYPE_STRING: {
          const std::string text(random() % 20, static_cast<char>('a' + random() % 26));
          repeated ? set.AddString(&message, field, text) : set.SetString(&message, field, text);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth == 0) break;
          FillEveryField(
              repeated ? *set.AddMessage(&message, field) : *set.MutableMessage(&message, field),
              random, depth - 1, most);
          break;
      }
    }
  }
}

// `frames` frames of each kind the writer lays out itself, every field
// filled at random (repeated ones up to `most` entries), must come out as
// protobuf writes them.
void ExpectProtobufsBytes(uint64_t seed, int frames, int most) {
  std::mt19937_64 random(seed);
  for (int i = 0; i < frames; ++i) {
    pb::Frame tasks;
    FillEveryField(*tasks.mutable_task_frame(), random, 3, most);
    ASSERT_EQ(Written(tasks), tasks.SerializeAsString()) << tasks.DebugString();
    pb::Frame answers;
    FillEveryField(*answers.mutable_result_frame(), random, 3, most);
    ASSERT_EQ(Written(answers), answers.SerializeAsString()) << answers.DebugString();
  }
}

TEST(FrameWriterTest, TaskAndResultFramesAreWhatProtobufWrites) {
  ExpectProtobufsBytes(/*seed=*/13, /*frames=*/2000, /*most=*/3);
}

TEST(FrameWriterTest, LongArraysTakeLongerLengths) {
  // Packed arrays of 128 bytes and more: their length takes two varint bytes
  // or more, and the writer moves the values it wrote to make room.
  ExpectProtobufsBytes(/*seed=*/21, /*frames=*/20, /*most=*/3000);
}

TEST(FrameWriterTest, AnEmptyBodyStillSaysWhichFrameItIs) {
  pb::Frame tasks;
  tasks.mutable_task_frame();
  EXPECT_EQ(Written(tasks), std::string("\x42\x00", 2));
  pb::Frame answers;
  answers.mutable_result_frame();
  EXPECT_EQ(Written(answers), std::string("\x4a\x00", 2));
}

TEST(FrameWriterTest, OtherFramesAndUnknownFieldsGoToProtobuf) {
  std::mt19937_64 random(17);
  pb::Frame constants;
  FillEveryField(*constants.mutable_constants(), random, 3);
  EXPECT_EQ(Written(constants), constants.SerializeAsString());

  // A field this build does not know (number 99, varint 7) rides along, as
  // protobuf keeps it: after the known ones.
  pb::Frame tasks;
  tasks.mutable_task_frame()->add_ids(5);
  std::string with_unknown = tasks.task_frame().SerializeAsString() + "\x98\x06\x07";
  pb::Frame parsed;
  ASSERT_TRUE(parsed.mutable_task_frame()->ParseFromString(with_unknown));
  EXPECT_EQ(Written(parsed), parsed.SerializeAsString());
  EXPECT_NE(Written(parsed), Written(tasks));
}

TEST(FrameWriterTest, ReusedAcrossFramesOfEachKind) {
  std::mt19937_64 random(19);
  FrameWriter writer;
  for (int i = 0; i < 100; ++i) {
    pb::Frame frame;
    if (i % 3 == 0) FillEveryField(*frame.mutable_task_frame(), random, 1);
    if (i % 3 == 1) FillEveryField(*frame.mutable_result_frame(), random, 1);
    if (i % 3 == 2) frame.mutable_hello()->set_pid(i);
    ASSERT_EQ(writer.Write(frame), frame.SerializeAsString()) << i;
  }
}

}  // namespace
}  // namespace parlab
