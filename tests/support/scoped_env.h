#pragma once
// Sets an environment variable for one scope (the workers a test starts
// inherit it) and restores it, or its absence, when the scope ends. Not
// thread-safe: use it while the test runs no threads of its own.

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace parlab {

class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str()); old != nullptr) saved_ = old;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (saved_) {
      setenv(name_.c_str(), saved_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  // What it was before, "" if unset.
  std::string saved() const { return saved_.value_or(""); }

 private:
  std::string name_;
  std::optional<std::string> saved_;
};

// Appends sanitizer options (later ones in the string win) for this scope.
inline std::string WithOption(const char* name, const std::string& option) {
  const char* old = std::getenv(name);
  return (old != nullptr && *old != '\0' ? std::string(old) + ":" : std::string()) + option;
}

// For this scope, a sanitizer leaves SIGSEGV to the kernel: a crashing child
// dies of the signal, as an uninstrumented one does, instead of reporting and
// exiting its own way.
class ScopedSegvToKernel {
 public:
  ScopedSegvToKernel()
      : asan_("ASAN_OPTIONS", WithOption("ASAN_OPTIONS", "handle_segv=0")),
        tsan_("TSAN_OPTIONS", WithOption("TSAN_OPTIONS", "handle_segv=0")) {}

 private:
  ScopedEnv asan_;
  ScopedEnv tsan_;
};

}  // namespace parlab
