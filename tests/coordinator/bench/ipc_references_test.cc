// The raw references of bench ipc: every primitive answers, and the streamed
// spin reference takes its streaming out of each round trip.
#include "coordinator/bench/ipc_references.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

IpcReferenceOptions Brief() {
  IpcReferenceOptions options;
  options.max_round_trips = 200;
  options.warmup_round_trips = 20;
  options.max_seconds = 0.05;
  return options;
}

TEST(IpcReferencesTest, EveryPrimitiveMeasuresRoundTrips) {
  Result<IpcReferences> refs = MeasureIpcReferences(Brief());
  ASSERT_TRUE(refs.ok()) << refs.status().ToString();
  ASSERT_EQ(refs->references.size(), 5u);
  for (const IpcReference& ref : refs->references) {
    EXPECT_FALSE(ref.round_trip_ns.empty()) << ref.name;
  }
  EXPECT_TRUE(refs->streamed.empty());  // none asked for
}

TEST(IpcReferencesTest, StreamedSpinIsTheRoundTripLessTheStreaming) {
  IpcReferenceOptions options = Brief();
  options.streamed_bytes = {72, 4u << 20};
  Result<IpcReferences> refs = MeasureIpcReferences(options);
  ASSERT_TRUE(refs.ok()) << refs.status().ToString();
  ASSERT_EQ(refs->streamed.size(), 2u);
  EXPECT_EQ(refs->streamed[0].bytes, 72u);
  EXPECT_EQ(refs->streamed[1].bytes, 4u << 20);
  for (const StreamedSpinReference& ref : refs->streamed) {
    ASSERT_FALSE(ref.round_trip_ns.empty()) << ref.bytes;
    // The peer's streaming lies inside each round trip, both read on the
    // same ordered clock: what is left is positive.
    for (double ns : ref.round_trip_ns) EXPECT_GT(ns, 0) << ref.bytes;
  }
}

}  // namespace
}  // namespace parlab
