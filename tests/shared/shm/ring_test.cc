#include "shared/shm/ring.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

// A ring region in ordinary memory: the ring does not care whether it is shared.
class RingMemory {
 public:
  explicit RingMemory(uint64_t capacity)
      : bytes_(Ring::RegionBytes(capacity)),
        data_(static_cast<std::byte*>(std::aligned_alloc(64, bytes_)), &std::free) {
    std::memset(data_.get(), 0xAB, bytes_);  // garbage: Format must not rely on zeroes
    const Status formatted = Ring::Format(data_.get(), bytes_, capacity);
    EXPECT_TRUE(formatted.ok()) << formatted.ToString();
  }
  Ring Attach() {
    Result<Ring> ring = Ring::Attach(data_.get(), bytes_);
    EXPECT_TRUE(ring.ok()) << ring.status().ToString();
    return std::move(ring).value();
  }
  RingHeader* header() { return reinterpret_cast<RingHeader*>(data_.get()); }
  std::byte* ring_data() { return data_.get() + sizeof(RingHeader); }
  size_t bytes() const { return bytes_; }

 private:
  size_t bytes_;
  std::unique_ptr<std::byte, decltype(&std::free)> data_;
};

std::string AsString(const FrameView& frame) {
  return std::string(reinterpret_cast<const char*>(frame.data), frame.size);
}

// Pops one frame as a string; "<empty>" or "<error: ...>" otherwise.
std::string Pop(Ring& ring) {
  Result<std::optional<FrameView>> frame = ring.TryPeek();
  if (!frame.ok()) return "<error: " + frame.status().ToString() + ">";
  if (!frame->has_value()) return "<empty>";
  std::string s = AsString(**frame);
  ring.Consume();
  return s;
}

bool Push(Ring& ring, const std::string& s) { return ring.TryPush(s.data(), s.size()); }

TEST(RingTest, PopsInPushOrder) {
  RingMemory memory(4096);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(Push(producer, std::string(i, static_cast<char>('a' + i % 26))));
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(Pop(consumer), std::string(i, static_cast<char>('a' + i % 26)));
  EXPECT_EQ(Pop(consumer), "<empty>");
}

TEST(RingTest, TryPeekOnEmptyIsNullopt) {
  RingMemory memory(64);
  Ring consumer = memory.Attach();
  Result<std::optional<FrameView>> frame = consumer.TryPeek();
  ASSERT_TRUE(frame.ok());
  EXPECT_FALSE(frame->has_value());
}

TEST(RingTest, EmptyFramesAreFrames) {
  // A protobuf message with every field at its default encodes to 0 bytes.
  RingMemory memory(64);
  Ring ring = memory.Attach();
  ASSERT_TRUE(ring.TryPush(nullptr, 0));
  EXPECT_EQ(Pop(ring), "");
  EXPECT_EQ(Pop(ring), "<empty>");
}

TEST(RingTest, PeekTwiceReturnsTheSameFrame) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  ASSERT_TRUE(Push(ring, "one"));
  ASSERT_TRUE(Push(ring, "two"));
  EXPECT_EQ(AsString(**ring.TryPeek()), "one");
  EXPECT_EQ(AsString(**ring.TryPeek()), "one");
  ring.Consume();
  EXPECT_EQ(AsString(**ring.TryPeek()), "two");
}

TEST(RingTest, TryPushFailsWhenFull) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  // 8 header + 24 = 32 bytes: 7 fit in 256, as the 8 bytes after the newest
  // frame are kept for the empty marker.
  const std::string frame(24, 'x');
  int pushed = 0;
  while (Push(ring, frame)) ++pushed;
  EXPECT_EQ(pushed, 7);
  EXPECT_FALSE(Push(ring, frame));
  EXPECT_TRUE(Push(ring, std::string(8, 'y')));  // 16 bytes, and the marker's 8
  EXPECT_TRUE(Push(ring, ""));                   // 8 bytes, and the marker's 8
  EXPECT_FALSE(Push(ring, ""));                  // only the marker's 8 are left
  EXPECT_EQ(Pop(ring), frame);
  EXPECT_FALSE(Push(ring, frame));                // 8 to the end, wrap: 8 + 32 + 8 > the 40 free
  EXPECT_TRUE(Push(ring, std::string(16, 'z')));  // 8 + 24 + 8 fit
}

TEST(RingTest, WrapAroundKeepsEveryFrameWholeAndInOrder) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  const size_t max = producer.max_frame_bytes();
  EXPECT_EQ(max, 120u);
  size_t next_push = 0;
  size_t next_pop = 0;
  auto make = [max](size_t i) { return std::string(i * 7 % (max + 1), static_cast<char>(i)); };
  // Uneven sizes and uneven push/pop rates make frames meet the end at every offset.
  while (next_pop < 20'000) {
    for (int k = 0; k < 3 && Push(producer, make(next_push)); ++k) ++next_push;
    for (int k = 0; k < 2 && next_pop < next_push; ++k) ASSERT_EQ(Pop(consumer), make(next_pop++));
  }
  EXPECT_GT(memory.header()->tail.load(), 100u * 256);  // it wrapped many times
}

TEST(RingTest, FrameViewPointsIntoTheRing) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  ASSERT_TRUE(Push(ring, "zero-copy"));
  const FrameView frame = **ring.TryPeek();
  EXPECT_GE(frame.data, memory.ring_data());
  EXPECT_LE(frame.data + frame.size, memory.ring_data() + 256);
}

TEST(RingTest, AReservationIsInvisibleUntilCommitted) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  std::byte* slot = producer.TryReserve(5);
  ASSERT_NE(slot, nullptr);
  std::memcpy(slot, "in pl", 5);
  EXPECT_EQ(Pop(consumer), "<empty>");
  producer.Commit();
  EXPECT_EQ(Pop(consumer), "in pl");
}

TEST(RingTest, ASecondReservationReplacesAnUncommittedOne) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  ASSERT_NE(producer.TryReserve(100), nullptr);
  std::byte* slot = producer.TryReserve(3);
  ASSERT_NE(slot, nullptr);
  std::memcpy(slot, "abc", 3);
  producer.Commit();
  EXPECT_EQ(Pop(consumer), "abc");
  EXPECT_EQ(Pop(consumer), "<empty>");
}

TEST(RingTest, ReservationsWrapAndFailWhenFullAsPushesDo) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  const size_t max = producer.max_frame_bytes();
  size_t next_push = 0;
  size_t next_pop = 0;
  auto make = [max](size_t i) { return std::string(i * 7 % (max + 1), static_cast<char>(i)); };
  while (next_pop < 5'000) {
    for (int k = 0; k < 3; ++k) {
      const std::string frame = make(next_push);
      std::byte* slot = producer.TryReserve(frame.size());
      if (slot == nullptr) break;
      std::memcpy(slot, frame.data(), frame.size());
      producer.Commit();
      ++next_push;
    }
    for (int k = 0; k < 2 && next_pop < next_push; ++k) ASSERT_EQ(Pop(consumer), make(next_pop++));
  }
  // Empty frames (8 bytes each) fill every byte but the 8 of the empty
  // marker: then a reservation fails until the consumer frees one.
  while (next_pop < next_push) ASSERT_EQ(Pop(consumer), make(next_pop++));
  int reserved = 0;
  while (producer.TryReserve(0) != nullptr) {
    producer.Commit();
    ++reserved;
  }
  EXPECT_EQ(reserved, 256 / 8 - 1);
  EXPECT_EQ(Pop(consumer), "");
  EXPECT_NE(producer.TryReserve(0), nullptr);
  producer.Close();
  Result<std::byte*> waited = producer.ReserveWait(8, WaitPolicy::kSpin, 1'000'000);
  EXPECT_EQ(waited.status().code(), StatusCode::kUnavailable);
}

TEST(RingDeathTest, CommitWithoutAReservationIsABug) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  EXPECT_DEATH(ring.Commit(), "without a reservation");
}

TEST(RingTest, OversizeFrameIsRefused) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  const std::string big(ring.max_frame_bytes() + 1, 'x');
  EXPECT_EQ(ring.PushWait(big.data(), big.size(), WaitPolicy::kSpin, 0).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(Push(ring, std::string(ring.max_frame_bytes(), 'x')));
}

TEST(RingDeathTest, TryPushOfAnOversizeFrameIsABug) {
  RingMemory memory(256);
  Ring ring = memory.Attach();
  const std::string big(ring.max_frame_bytes() + 1, 'x');
  EXPECT_DEATH(ring.TryPush(big.data(), big.size()), "exceeds");
}

TEST(RingTest, CorruptLengthIsAnErrorNotACrash) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  ASSERT_TRUE(Push(producer, "hello"));
  const uint32_t huge = 0x7fffffff;
  std::memcpy(memory.ring_data(), &huge, sizeof(huge));  // the frame's length field
  Result<std::optional<FrameView>> frame = consumer.TryPeek();
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), StatusCode::kInternal);
  EXPECT_NE(frame.status().message().find("2147483647"), std::string::npos)
      << frame.status().message();
  // Sticky: the consumer never trusts this ring again.
  EXPECT_FALSE(consumer.TryPeek().ok());
  EXPECT_FALSE(consumer.PeekWait(WaitPolicy::kBlock, -1).ok());
  EXPECT_FALSE(consumer.status().ok());
}

TEST(RingTest, LengthRunningPastTheDataIsAnError) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  for (int i = 0; i < 6; ++i) {  // 6 frames of 32 bytes: the next one starts at byte 192
    ASSERT_TRUE(Push(producer, std::string(24, 'x')));
    ASSERT_EQ(Pop(consumer), std::string(24, 'x'));
  }
  ASSERT_TRUE(Push(producer, "hello"));
  const uint32_t longer = 100;  // < max frame, but 192 + 8 + 100 runs past byte 256
  std::memcpy(memory.ring_data() + 192, &longer, sizeof(longer));
  EXPECT_EQ(consumer.TryPeek().status().code(), StatusCode::kInternal);
}

TEST(RingTest, StaleBytesAfterTheNewestFrameAreNotAFrame) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  // What an old lap could leave where the next frame goes: a whole frame.
  const uint32_t stale[2] = {5, 0x4652'4d31};
  std::memcpy(memory.ring_data() + 16, stale, sizeof(stale));
  ASSERT_TRUE(Push(producer, "hello"));  // 16 bytes at byte 0
  EXPECT_EQ(Pop(consumer), "hello");
  EXPECT_EQ(Pop(consumer), "<empty>");
}

TEST(RingTest, CorruptTagIsAnError) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  ASSERT_TRUE(Push(producer, "hello"));
  memory.ring_data()[4] = std::byte{0};  // the tag
  EXPECT_EQ(consumer.TryPeek().status().code(), StatusCode::kInternal);
}

TEST(RingTest, CorruptTailIsRefusedAtAttach) {
  RingMemory memory(256);
  memory.header()->tail.store(256 + 8);  // more than the capacity ahead of head
  EXPECT_FALSE(Ring::Attach(memory.header(), memory.bytes()).ok());
  memory.header()->tail.store(3);  // unaligned
  EXPECT_FALSE(Ring::Attach(memory.header(), memory.bytes()).ok());
}

TEST(RingTest, ReformattingForgetsTheOldFrames) {
  RingMemory memory(256);
  {
    Ring producer = memory.Attach();
    ASSERT_TRUE(Push(producer, "old"));
  }
  // A replacement worker's ring is formatted afresh over the same bytes.
  ASSERT_TRUE(Ring::Format(memory.header(), memory.bytes(), 256).ok());
  Ring consumer = memory.Attach();
  EXPECT_EQ(Pop(consumer), "<empty>");
}

TEST(RingTest, CorruptHeadStopsTheProducer) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  while (Push(producer, "xxxxxxxx")) {
  }
  ASSERT_TRUE(producer.status().ok());
  memory.header()->head.store(1'000'000);  // "consumed" more than was ever published
  EXPECT_FALSE(Push(producer, "x"));
  EXPECT_EQ(producer.status().code(), StatusCode::kInternal);
  EXPECT_EQ(producer.PushWait("x", 1, WaitPolicy::kBlock, -1).code(), StatusCode::kInternal);
}

TEST(RingTest, AttachValidatesTheHeader) {
  RingMemory memory(256);
  memory.header()->capacity_bytes = 1024;  // larger than the region
  EXPECT_EQ(Ring::Attach(memory.header(), memory.bytes()).status().code(),
            StatusCode::kFailedPrecondition);
  memory.header()->capacity_bytes = 100;  // not a power of two
  EXPECT_FALSE(Ring::Attach(memory.header(), memory.bytes()).ok());
  memory.header()->capacity_bytes = 256;
  memory.header()->magic = 0;
  EXPECT_FALSE(Ring::Attach(memory.header(), memory.bytes()).ok());
  EXPECT_FALSE(Ring::Attach(memory.header(), 16).ok());
}

TEST(RingTest, FormatValidatesItsArguments) {
  RingMemory memory(256);
  EXPECT_FALSE(Ring::Format(memory.header(), memory.bytes(), 100).ok());
  EXPECT_FALSE(Ring::Format(memory.header(), memory.bytes(), 512).ok());        // region too small
  EXPECT_FALSE(Ring::Format(memory.ring_data() + 8, memory.bytes(), 64).ok());  // misaligned
}

TEST(RingTest, WaitsTimeOutWithEveryPolicy) {
  struct Case {
    WaitPolicy policy;
    bool yields = false;
    int64_t pause_ns = 0;
  };
  // kAdaptive: spinning on PAUSE, yielding, and yielding after a pause.
  for (const Case& c :
       {Case{WaitPolicy::kSpin}, Case{WaitPolicy::kBlock}, Case{WaitPolicy::kAdaptive},
        Case{WaitPolicy::kAdaptive, true}, Case{WaitPolicy::kAdaptive, true, 20'000}}) {
    RingMemory memory(64);
    Ring ring = memory.Attach();
    ring.set_adaptive_spin_ns(100'000);
    ring.set_adaptive_yields(c.yields, c.pause_ns);
    const std::string what = std::string(WaitPolicyName(c.policy)) + (c.yields ? " yielding" : "");
    EXPECT_EQ(ring.PeekWait(c.policy, 1'000'000).status().code(), StatusCode::kDeadlineExceeded)
        << what;
    while (Push(ring, "x")) {
    }
    EXPECT_EQ(ring.PushWait("y", 1, c.policy, 1'000'000).code(), StatusCode::kDeadlineExceeded)
        << what;
  }
}

TEST(RingTest, FramesPublishedBeforeCloseAreStillDelivered) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  ASSERT_TRUE(Push(producer, "last words"));
  producer.Close();
  EXPECT_FALSE(Push(producer, "more"));
  EXPECT_EQ(producer.PushWait("more", 4, WaitPolicy::kBlock, -1).code(), StatusCode::kUnavailable);
  Result<FrameView> frame = consumer.PeekWait(WaitPolicy::kBlock, -1);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(AsString(*frame), "last words");
  consumer.Consume();
  EXPECT_EQ(consumer.PeekWait(WaitPolicy::kBlock, -1).status().code(), StatusCode::kUnavailable);
}

// Waits (without sleeping) until the other thread has announced it may sleep;
// then Close() must get it out. If it has not reached the futex yet, Close()
// is seen at its last check instead — the outcome is the same.
void AwaitFlag(const std::atomic<uint32_t>& flag) {
  while (flag.load() == 0) std::this_thread::yield();
}

TEST(RingTest, CloseWakesABlockedConsumer) {
  RingMemory memory(256);
  Ring consumer = memory.Attach();
  Status result;
  std::thread waiter([&] { result = consumer.PeekWait(WaitPolicy::kBlock, -1).status(); });
  AwaitFlag(memory.header()->consumer_sleeping);
  Ring closer = memory.Attach();
  closer.Close();
  waiter.join();
  EXPECT_EQ(result.code(), StatusCode::kUnavailable);
}

TEST(RingTest, CloseWakesABlockedProducer) {
  RingMemory memory(256);
  Ring producer = memory.Attach();
  while (Push(producer, "xxxxxxxx")) {
  }
  Status result;
  std::thread waiter([&] { result = producer.PushWait("y", 1, WaitPolicy::kAdaptive, -1); });
  AwaitFlag(memory.header()->producer_sleeping);
  Ring::CloseRegion(memory.header());
  waiter.join();
  EXPECT_EQ(result.code(), StatusCode::kUnavailable);
}

// Two threads through a small ring with every policy: under ThreadSanitizer
// this checks the memory orderings; everywhere it checks content and order,
// and that no wake-up is lost (a lost one hangs, and ctest's TIMEOUT fails it).
class RingThreadsTest : public ::testing::TestWithParam<WaitPolicy> {};

TEST_P(RingThreadsTest, StreamsFramesIntact) {
  constexpr uint32_t kFrames = 30'000;
  RingMemory memory(512);
  Ring producer = memory.Attach();
  Ring consumer = memory.Attach();
  producer.set_adaptive_spin_ns(2'000);  // short, so the sleep path runs often
  consumer.set_adaptive_spin_ns(2'000);
  const WaitPolicy policy = GetParam();
  std::thread sender([&] {
    std::vector<uint32_t> frame;
    for (uint32_t i = 0; i < kFrames; ++i) {
      frame.assign(i % 13, i);
      const Status s = producer.PushWait(frame.data(), frame.size() * sizeof(uint32_t), policy, -1);
      if (!s.ok()) {
        ADD_FAILURE() << s.ToString();
        return;
      }
    }
  });
  // However this test ends, the sender is released and joined.
  struct Joiner {
    Ring& ring;
    std::thread& thread;
    ~Joiner() {
      ring.Close();
      thread.join();
    }
  } joiner{consumer, sender};
  for (uint32_t i = 0; i < kFrames; ++i) {
    Result<FrameView> frame = consumer.PeekWait(policy, -1);
    ASSERT_TRUE(frame.ok()) << frame.status().ToString();
    ASSERT_EQ(frame->size, (i % 13) * sizeof(uint32_t));
    for (size_t k = 0; k < i % 13; ++k) {
      uint32_t value;
      std::memcpy(&value, frame->data + k * sizeof(value), sizeof(value));
      ASSERT_EQ(value, i);
    }
    consumer.Consume();
  }
}

std::string PolicyName(const ::testing::TestParamInfo<WaitPolicy>& param) {
  return WaitPolicyName(param.param);
}

INSTANTIATE_TEST_SUITE_P(Policies, RingThreadsTest,
                         ::testing::Values(WaitPolicy::kSpin, WaitPolicy::kBlock,
                                           WaitPolicy::kAdaptive),
                         PolicyName);

}  // namespace
}  // namespace parlab
