#pragma once
// What the multi-process tests check is left behind: a process's segments.

#include <gtest/gtest.h>
#include <unistd.h>

#include <vector>

#include "shared/shm/segment.h"

namespace parlab {

// The segments `pid` made that still exist in /dev/shm.
inline std::vector<SegmentFile> SegmentsOf(pid_t pid) {
  Result<std::vector<SegmentFile>> segments = ListSegmentsOf(pid);
  EXPECT_TRUE(segments.ok()) << segments.status().ToString();
  return segments.ok() ? std::move(segments).value() : std::vector<SegmentFile>{};
}

// How many of this process's segments exist (every one it made, not removed).
inline int SegmentsOfThisProcess() { return static_cast<int>(SegmentsOf(getpid()).size()); }

}  // namespace parlab
