#include "shared/wire.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

class WireTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int fds_[2] = {-1, -1};
};

TEST_F(WireTest, FrameRoundTrips) {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(3);
  hello.mutable_hello()->set_pid(1234);
  ASSERT_TRUE(WriteFrame(fds_[1], hello).ok());
  pb::Frame got;
  ASSERT_TRUE(ReadFrame(fds_[0], "test peer", got).ok());
  EXPECT_EQ(got.hello().worker(), 3);
  EXPECT_EQ(got.hello().pid(), 1234);
}

TEST_F(WireTest, EndOfStreamIsUnavailable) {
  close(fds_[1]);
  fds_[1] = -1;
  pb::Frame got;
  EXPECT_EQ(ReadFrame(fds_[0], "test peer", got).code(), StatusCode::kUnavailable);
}

TEST_F(WireTest, WritingToAGonePeerIsUnavailableNotSigpipe) {
  // Without MSG_NOSIGNAL this write raises SIGPIPE and the test dies.
  close(fds_[0]);
  fds_[0] = socket(AF_UNIX, SOCK_STREAM, 0);  // something for TearDown to close
  pb::Frame beat;
  beat.mutable_heartbeat()->set_worker(1);
  const Status s = WriteFrame(fds_[1], beat);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
}

TEST_F(WireTest, WritesToAPipeToo) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pb::Frame hello;
  hello.mutable_hello()->set_worker(5);
  EXPECT_TRUE(WriteFrame(pipe_fds[1], hello).ok());  // not a socket: a plain write
  pb::Frame got;
  EXPECT_TRUE(ReadFrame(pipe_fds[0], "pipe", got).ok());
  EXPECT_EQ(got.hello().worker(), 5);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST_F(WireTest, OversizedLengthIsRefusedNamingThePeer) {
  const unsigned char prefix[4] = {0xff, 0xff, 0xff, 0x7f};
  ASSERT_TRUE(WriteAll(fds_[1], prefix, sizeof(prefix)).ok());
  pb::Frame got;
  const Status s = ReadFrame(fds_[0], "worker 2", got);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("worker 2"), std::string::npos);
}

TEST_F(WireTest, GarbageDoesNotParse) {
  const unsigned char bytes[] = {5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff};
  ASSERT_TRUE(WriteAll(fds_[1], bytes, sizeof(bytes)).ok());
  pb::Frame got;
  EXPECT_EQ(ReadFrame(fds_[0], "worker 1", got).code(), StatusCode::kInvalidArgument);
}

TEST(FrameParserTest, ParsesFrameAfterFrameAndRefusesGarbageNamingThePeer) {
  FrameParser parser(/*block_bytes=*/4096);
  for (uint64_t n : {1u, 1000u, 3u}) {  // 1000 ids outgrow the first block, then fit again
    pb::Frame frame;
    for (uint64_t id = 0; id < n; ++id) frame.mutable_task_frame()->add_ids(id + 7);
    const std::string bytes = frame.SerializeAsString();
    Result<const pb::Frame*> parsed = parser.Parse(bytes.data(), bytes.size(), "worker 4");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_TRUE((*parsed)->has_task_frame());
    ASSERT_EQ((*parsed)->task_frame().ids_size(), static_cast<int>(n));
    EXPECT_EQ((*parsed)->task_frame().ids(static_cast<int>(n) - 1), n + 6);
  }
  const unsigned char garbage[] = {0xff, 0xff, 0xff};
  Result<const pb::Frame*> bad = parser.Parse(garbage, sizeof(garbage), "worker 4");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("worker 4"), std::string::npos);
}

// The parser reuses one frame: nothing of the frame before may show in the
// next, whatever kinds follow each other.
TEST(FrameParserTest, AReusedFrameKeepsNothingOfTheFrameBefore) {
  FrameParser parser(/*block_bytes=*/4096);
  auto parse = [&parser](const pb::Frame& frame) {
    const std::string bytes = frame.SerializeAsString();
    Result<const pb::Frame*> parsed = parser.Parse(bytes.data(), bytes.size(), "worker 2");
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return parsed.ok() ? (*parsed)->SerializeAsString() : std::string("<error>");
  };
  pb::Frame full;
  pb::ResultFrame& answers = *full.mutable_result_frame();
  answers.set_worker(3);
  answers.set_decoded_after_ns(99);
  answers.add_ids(1);
  answers.add_failures()->set_message("boom");
  pb::Frame bare;
  bare.mutable_result_frame()->add_ids(2);  // worker 0, no stamps, no failures
  pb::Frame tasks;
  tasks.mutable_task_frame()->add_ids(5);
  pb::Frame constants;
  constants.mutable_constants()->set_version(2);
  for (const pb::Frame* frame : {&full, &bare, &full, &tasks, &bare, &constants, &tasks, &full}) {
    EXPECT_EQ(parse(*frame), frame->SerializeAsString());
  }
}

// What wire_fuzzer found: after a task frame, bytes whose only field is one
// the frame does not know (field 8 with the wrong wire type, kept as an
// unknown field) parse to a frame with no body — not to the last frame's
// body emptied, as merging into a reused frame had made it.
TEST(FrameParserTest, BytesWithoutABodyDoNotKeepTheLastFramesBody) {
  FrameParser parser(/*block_bytes=*/4096);
  for (const pb::Frame::BodyCase kept : {pb::Frame::kTaskFrame, pb::Frame::kResultFrame}) {
    pb::Frame before;
    if (kept == pb::Frame::kTaskFrame) before.mutable_task_frame()->add_ids(5);
    if (kept == pb::Frame::kResultFrame) before.mutable_result_frame()->add_ids(5);
    const std::string first = before.SerializeAsString();
    ASSERT_TRUE(parser.Parse(first.data(), first.size(), "worker 1").ok());
    const unsigned char unknown_only[] = {0x40, 0x09, 0x09, 0x02, 0x8f, 0xad,
                                          0x00, 0x02, 0x8f, 0x25, 0x00};
    pb::Frame fresh;
    ASSERT_TRUE(fresh.ParseFromArray(unknown_only, sizeof(unknown_only)));
    Result<const pb::Frame*> reused = parser.Parse(unknown_only, sizeof(unknown_only), "worker 1");
    ASSERT_TRUE(reused.ok()) << reused.status().ToString();
    EXPECT_EQ((*reused)->body_case(), pb::Frame::BODY_NOT_SET);
    EXPECT_EQ((*reused)->SerializeAsString(), fresh.SerializeAsString());
  }
}

// The hot path parses a frame that is one body alone straight into the kept
// body; bytes that are more than that (a second occurrence of the body,
// which protobuf merges into the first) or whose body does not parse must
// come out exactly as a fresh parse says, or as an error.
TEST(FrameParserTest, OnlyAFrameThatIsItsBodyAloneTakesTheShortPath) {
  for (const pb::Frame::BodyCase kind : {pb::Frame::kTaskFrame, pb::Frame::kResultFrame}) {
    FrameParser parser(/*block_bytes=*/4096);
    auto frame_of = [kind](uint64_t id) {
      pb::Frame frame;
      if (kind == pb::Frame::kTaskFrame) frame.mutable_task_frame()->add_ids(id);
      if (kind == pb::Frame::kResultFrame) frame.mutable_result_frame()->add_ids(id);
      return frame.SerializeAsString();
    };
    const std::string first = frame_of(5);
    ASSERT_TRUE(parser.Parse(first.data(), first.size(), "worker 1").ok());
    // The same body twice: one frame whose ids are 6 and 7.
    const std::string twice = frame_of(6) + frame_of(7);
    pb::Frame fresh;
    ASSERT_TRUE(fresh.ParseFromString(twice));
    Result<const pb::Frame*> merged = parser.Parse(twice.data(), twice.size(), "worker 1");
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    EXPECT_EQ((*merged)->SerializeAsString(), fresh.SerializeAsString());
    // A length that says the body ends past the bytes.
    std::string cut = frame_of(8);
    cut.pop_back();
    EXPECT_EQ(parser.Parse(cut.data(), cut.size(), "worker 1").status().code(),
              StatusCode::kInvalidArgument);
    // A body of the right length that does not parse.
    std::string bad = frame_of(9);
    bad[2] = '\xff';  // the body's first tag: field 31, an invalid wire type
    EXPECT_EQ(parser.Parse(bad.data(), bad.size(), "worker 1").status().code(),
              StatusCode::kInvalidArgument);
    // And the next good frame parses whole.
    const std::string after = frame_of(10);
    Result<const pb::Frame*> good = parser.Parse(after.data(), after.size(), "worker 1");
    ASSERT_TRUE(good.ok()) << good.status().ToString();
    EXPECT_EQ((*good)->SerializeAsString(), after);
  }
}

// Each body wrapped as a frame's `kind` (a one-byte tag, a one-byte length)
// must come out of a parser whose kept frame is of that kind (the hot path)
// exactly as protobuf reads it from scratch, or as its error.
void ExpectReadAsProtobufReads(pb::Frame::BodyCase kind, const std::vector<std::string>& bodies) {
  const char tag = kind == pb::Frame::kTaskFrame ? '\x42' : '\x4a';
  FrameParser parser(/*block_bytes=*/4096);
  for (const std::string& body : bodies) {
    ASSERT_LT(body.size(), 128u);
    pb::Frame primed;
    if (kind == pb::Frame::kTaskFrame) primed.mutable_task_frame()->add_ids(99);
    if (kind == pb::Frame::kResultFrame) primed.mutable_result_frame()->add_ids(99);
    const std::string first = primed.SerializeAsString();
    ASSERT_TRUE(parser.Parse(first.data(), first.size(), "peer").ok());
    const std::string bytes = std::string(1, tag) + static_cast<char>(body.size()) + body;
    pb::Frame fresh;
    const bool parses = fresh.ParseFromString(bytes);
    Result<const pb::Frame*> reused = parser.Parse(bytes.data(), bytes.size(), "peer");
    ASSERT_EQ(reused.ok(), parses) << testing::PrintToString(body);
    if (parses) {
      EXPECT_EQ((*reused)->SerializeAsString(), fresh.SerializeAsString())
          << testing::PrintToString(body);
    }
  }
}

// A worker reads the task frames the coordinator writes by hand; any other
// shape of the same frame — what another protobuf writer may send, or a
// corrupt one — must come out exactly as protobuf reads it, or as its error.
TEST(FrameParserTest, TaskFramesOfAnyShapeReadAsProtobufReadsThem) {
  ExpectReadAsProtobufReads(
      pb::Frame::kTaskFrame,
      {
          std::string("\x08\x03\x12\x02\x05\x06\x18\x02\x20\x01", 10),  // as we write it
          std::string("", 0),                                           // an empty frame
          std::string("\x12\x00", 2),                                   // ids of no bytes
          std::string("\x08\x83\x00\x12\x01\x05", 6),                   // an overlong varint
          std::string("\x12\x01\x05\x08\x03", 5),                       // fields out of order
          std::string("\x08\x03\x08\x04\x12\x01\x05", 7),               // constants twice
          std::string("\x12\x01\x05\x12\x01\x06", 6),                   // ids twice
          std::string("\x10\x05\x10\x06", 4),                           // ids not packed
          std::string("\x08\x80\x80\x80\x80\x10", 6),                   // constants past 32 bits
          std::string("\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11),  // a negative fault
          std::string("\x12\x03\x05", 3),                                   // ids past the body
          std::string("\x12\x01\x85", 3),                                   // an id cut short
          std::string("\x12\x0b\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00", 13),  // an 11-byte id
          std::string("\x12\x01\x05\x30\x07", 5),  // an unknown field
          std::string("\x30\x07\x12\x01\x05", 5),  // ... and first
          std::string("\x12\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02",
                      12),             // a 10th byte past 64 bits
          std::string("\x2a\x00", 2),  // an input
      });
}

// The coordinator reads the result frames workers write by hand: the same
// promise.
TEST(FrameParserTest, ResultFramesOfAnyShapeReadAsProtobufReadsThem) {
  const std::string one_double("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);  // 1.0
  const std::string dequeued = std::string("\x69", 1) + one_double;     // field 13, fixed64
  const std::string stamps("\x80\x01\x07\x88\x01\x09\x92\x01\x01\x03\x9a\x01\x01\x04", 14);
  const std::string noop = std::string("\x08\x01\x12\x01\x05", 5) + dequeued + stamps;
  ExpectReadAsProtobufReads(
      pb::Frame::kResultFrame,
      {
          noop,  // a noop's answer, as a worker writes it
          std::string("\x08\x01\x12\x01\x05\x1a\x01\x02\x22\x08", 10) + one_double + "\x2a\x08" +
              one_double + "\x32\x08" + one_double + dequeued +
              stamps,                                            // every field a worker writes
          std::string("", 0),                                    // an empty frame
          std::string("\x22\x00", 2),                            // checksums of no bytes
          std::string("\x22\x07", 2) + one_double.substr(0, 7),  // a checksum cut short
          std::string("\x21", 1) + one_double,                   // checksums not packed
          std::string("\x12\x01\x05\x08\x01", 5),                // fields out of order
          std::string("\x12\x01\x05\x12\x01\x06", 6),            // ids twice
          std::string("\x88\x00\x01", 3),                        // an overlong tag
          std::string("\x08\x80\x80\x80\x80\x10", 6),            // a worker past 32 bits
          std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11),  // a negative worker
          std::string("\x1a\x05\x80\x80\x80\x80\x08", 7),                   // a status past int32
          std::string("\x1a\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // a negative status
          std::string("\x68\x05", 2),          // dequeued as a varint
          std::string("\x69\x01\x02\x03", 4),  // dequeued cut short
          std::string("\x92\x01\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 13),  // start −2^63
          std::string("\x62\x02\x08\x00", 4),                                       // a failure
          std::string("\xf2\x01\x00", 3),           // a command outcome
          std::string("\xa0\x01\x01", 3),           // an unknown field
          std::string("\x81\x01", 2) + one_double,  // decoded as a fixed64
          std::string("\x00\x01", 2),               // field 0
      });
}

}  // namespace
}  // namespace parlab
