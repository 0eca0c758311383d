#include "coordinator/notebook/memory_residency.h"

#include <sys/mman.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace parlab {
namespace {

template <typename Scalar>
MatrixResidency Measure(int64_t n) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> m(n, n);
  m.setConstant(Scalar(0));
  MatrixResidency residency;
  residency.eigen_bytes = static_cast<size_t>(m.size()) * sizeof(Scalar);
  if (std::optional<size_t> resident = ResidentBytes(m.data(), residency.eigen_bytes)) {
    residency.resident_bytes = *resident;
    residency.resident_known = true;
  }
  return residency;
}

}  // namespace

std::optional<int64_t> ParseStatusBytes(std::string_view status, std::string_view field) {
  size_t at = 0;
  while (at < status.size()) {
    const size_t end = std::min(status.find('\n', at), status.size());
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (line.size() <= field.size() || line.substr(0, field.size()) != field ||
        line[field.size()] != ':') {
      continue;
    }
    line.remove_prefix(field.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    int64_t value = 0;
    size_t digits = 0;
    while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])) &&
           digits < 15) {
      value = value * 10 + (line[digits] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    line.remove_prefix(digits);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line != "kB") return std::nullopt;
    return value * 1024;
  }
  return std::nullopt;
}

std::optional<int64_t> ReadStatusBytes(std::string_view field) {
  std::ifstream in("/proc/self/status");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return ParseStatusBytes(text.str(), field);
}

std::optional<size_t> ResidentBytes(const void* data, size_t bytes) {
  if (bytes == 0) return size_t{0};
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<uintptr_t>(data) / page * page;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes + page - 1) / page * page;
  std::vector<unsigned char> pages((end - begin) / page);
  if (mincore(reinterpret_cast<void*>(begin), end - begin, pages.data()) != 0) return std::nullopt;
  size_t resident = 0;
  for (unsigned char p : pages) resident += (p & 1u) != 0 ? page : 0;
  return resident;
}

std::vector<MatrixResidency> MeasureMatrixTypes(int64_t n) {
  return {Measure<Eigen::half>(n), Measure<float>(n), Measure<double>(n), Measure<int32_t>(n),
          Measure<int64_t>(n)};
}

}  // namespace parlab
