#pragma once
// PARLAB_CHECK(cond) << "context": bugs abort loudly with file, line and context
// (google/benchmark src/check.h). Not for user errors: those are Status values.

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace parlab::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* cond) {
    stream_ << file << ":" << line << ": check failed: " << cond << " ";
  }
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure() {
    std::cerr << stream_.str() << std::endl;
    std::abort();
  }
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

}  // namespace parlab::internal

#define PARLAB_CHECK(cond) \
  if (cond) {              \
  } else                   \
    ::parlab::internal::CheckFailure(__FILE__, __LINE__, #cond).stream()
