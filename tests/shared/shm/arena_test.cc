#include "shared/shm/arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

namespace parlab {
namespace {

TEST(ArenaTest, BlocksAreAlignedAndDisjoint) {
  Arena arena(1 << 20);
  std::vector<std::pair<uint64_t, uint64_t>> blocks;
  for (uint64_t bytes : {1, 63, 64, 65, 1000, 4096, 7}) {
    Result<uint64_t> offset = arena.Allocate(bytes);
    ASSERT_TRUE(offset.ok()) << offset.status().ToString();
    EXPECT_EQ(*offset % kArenaAlignment, 0u);
    blocks.emplace_back(*offset, bytes);
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    for (size_t j = i + 1; j < blocks.size(); ++j) {
      const auto& [a, a_bytes] = blocks[i];
      const auto& [b, b_bytes] = blocks[j];
      EXPECT_TRUE(a + a_bytes <= b || b + b_bytes <= a) << a << " overlaps " << b;
    }
  }
}

TEST(ArenaTest, ExhaustionIsAnErrorNamingTheSizes) {
  Arena arena(4096);
  ASSERT_TRUE(arena.Allocate(4000).ok());
  Result<uint64_t> more = arena.Allocate(200);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(more.status().message().find("200 bytes requested"), std::string::npos)
      << more.status().message();
  EXPECT_NE(more.status().message().find("largest free block 64"), std::string::npos)
      << more.status().message();
  EXPECT_EQ(arena.Allocate(1 << 20).status().code(), StatusCode::kResourceExhausted);
}

TEST(ArenaTest, ZeroBytesIsInvalid) {
  Arena arena(4096);
  EXPECT_EQ(arena.Allocate(0).status().code(), StatusCode::kInvalidArgument);
}

TEST(ArenaTest, FreedBlocksAreReused) {
  Arena arena(4096);
  Result<uint64_t> a = arena.Allocate(1000);
  ASSERT_TRUE(a.ok());
  arena.Free(*a);
  EXPECT_EQ(arena.bytes_in_use(), 0u);
  Result<uint64_t> b = arena.Allocate(1000);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, *a);  // the same buffer serves the next task
}

TEST(ArenaTest, FreeCoalescesNeighbours) {
  Arena arena(64 * 30);
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 3; ++i) {
    Result<uint64_t> offset = arena.Allocate(64 * 10);
    ASSERT_TRUE(offset.ok());
    offsets.push_back(*offset);
  }
  EXPECT_FALSE(arena.Allocate(1).ok());
  // Middle first, then the outer ones: both merge directions are needed.
  arena.Free(offsets[1]);
  arena.Free(offsets[0]);
  arena.Free(offsets[2]);
  EXPECT_EQ(arena.largest_free_block(), 64u * 30);
  EXPECT_TRUE(arena.Allocate(64 * 30).ok());
}

TEST(ArenaTest, ChurnNeverLosesSpace) {
  Arena arena(1 << 16);
  std::set<uint64_t> live;
  uint64_t seed = 12345;
  for (int i = 0; i < 5000; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    if (live.size() < 20 && (seed >> 60) < 10) {
      Result<uint64_t> offset = arena.Allocate(1 + (seed >> 33) % 3000);
      if (offset.ok()) live.insert(*offset);
    } else if (!live.empty()) {
      auto it = live.begin();
      std::advance(it, static_cast<long>((seed >> 40) % live.size()));
      arena.Free(*it);
      live.erase(it);
    }
  }
  for (uint64_t offset : live) arena.Free(offset);
  EXPECT_EQ(arena.bytes_in_use(), 0u);
  EXPECT_EQ(arena.largest_free_block(), uint64_t{1} << 16);
}

TEST(ArenaDeathTest, DoubleFreeAborts) {
  Arena arena(4096);
  Result<uint64_t> a = arena.Allocate(64);
  ASSERT_TRUE(a.ok());
  arena.Free(*a);
  EXPECT_DEATH(arena.Free(*a), "not allocated");
}

TEST(ArenaViewTest, CheckRangeAcceptsInsideRejectsOutside) {
  std::vector<std::byte> bytes(1024);
  ArenaView view(bytes.data(), bytes.size());
  EXPECT_TRUE(view.CheckRange(0, 1024).ok());
  EXPECT_TRUE(view.CheckRange(1024, 0).ok());
  EXPECT_TRUE(view.CheckRange(512, 512).ok());
  EXPECT_EQ(view.CheckRange(512, 513).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(view.CheckRange(1025, 0).code(), StatusCode::kInvalidArgument);
  // offset + bytes wraps around 2^64: must still be refused.
  EXPECT_EQ(view.CheckRange(UINT64_MAX - 8, 16).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(view.CheckRange(16, UINT64_MAX - 8).code(), StatusCode::kInvalidArgument);
  EXPECT_NE(view.CheckRange(512, 513).message().find("1024"), std::string::npos);
}

TEST(ArenaViewTest, AtChecksRangeAndAlignment) {
  alignas(64) static std::byte bytes[1024];
  ArenaView view(bytes, sizeof(bytes));
  Result<double*> ok = view.At<double>(64, 120);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(reinterpret_cast<std::byte*>(*ok), bytes + 64);
  EXPECT_FALSE(view.At<double>(64, 121).ok());            // one past the end
  EXPECT_FALSE(view.At<double>(4, 1).ok());               // misaligned
  EXPECT_FALSE(view.At<double>(0, UINT64_MAX / 4).ok());  // count * 8 overflows
}

}  // namespace
}  // namespace parlab
