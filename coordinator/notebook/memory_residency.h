#pragma once
// Memory as the operating system sees it: a process's resident set (VmRSS)
// and its high-water mark (VmHWM) from /proc/self/status, and how many bytes
// of a given range are resident (mincore). `parlab memory` uses them to check
// its arithmetic against what an allocation really costs. Thread-safe; the
// readers return nullopt where /proc cannot be read.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace parlab {

// The value of a "Field:   1234 kB" line of /proc/<pid>/status, in bytes;
// nullopt when the field is missing or malformed.
std::optional<int64_t> ParseStatusBytes(std::string_view status, std::string_view field);

// ParseStatusBytes on this process's /proc/self/status ("VmRSS", "VmHWM").
std::optional<int64_t> ReadStatusBytes(std::string_view field);

// Bytes of the pages overlapping [data, data + bytes) that are resident now
// (whole pages: a range that covers part of a page counts all of it).
// nullopt when mincore fails.
std::optional<size_t> ResidentBytes(const void* data, size_t bytes);

struct MatrixResidency {
  size_t eigen_bytes = 0;     // m.size() * sizeof(Scalar): numpy's nbytes
  size_t resident_bytes = 0;  // the matrix's pages resident after it was zeroed
  bool resident_known = false;
};

// Allocates an n×n Eigen matrix of each of the five types of
// MatrixTypeSizes() (same order), zeroes it so that its pages are real, and
// measures it. The matrices are freed before returning. Precondition:
// n·n·8 bytes fit in memory (the caller checks).
std::vector<MatrixResidency> MeasureMatrixTypes(int64_t n);

}  // namespace parlab
