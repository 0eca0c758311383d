#pragma once
// SharedLibrary: a shared object loaded into this process (dlopen) — a user's
// kernel plugin. Loaded for the rest of the process's life and never closed:
// its code may be running on any thread until exit, and objects made from it
// (kernels in the registry) live as long. Loading is thread-safe (dlopen's
// own lock); a SharedLibrary is an immutable handle, safe to share.

#include <string>
#include <utility>

#include "shared/status.h"

namespace parlab {

class SharedLibrary {
 public:
  // Loads `path` with every symbol resolved now (a missing dependency fails
  // here, not in the middle of a task) and its symbols kept to itself
  // (RTLD_LOCAL: two plugins cannot see each other's). Errors:
  // kInvalidArgument with the loader's message ("...: cannot open shared
  // object file: No such file or directory").
  static Result<SharedLibrary> Open(const std::string& path);

  // The address of `symbol` in this library or what it links; nullptr when
  // there is none.
  void* Symbol(const char* symbol) const;

  const std::string& path() const { return path_; }

 private:
  SharedLibrary(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  void* handle_ = nullptr;
  std::string path_;
};

}  // namespace parlab
