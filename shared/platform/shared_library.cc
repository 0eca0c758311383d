#include "shared/platform/shared_library.h"

#include <dlfcn.h>

#include <mutex>

namespace parlab {

Result<SharedLibrary> SharedLibrary::Open(const std::string& path) {
  // POSIX does not promise a dlerror() per thread (glibc's is): the lock
  // keeps our dlopen and the message we read together.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    return InvalidArgument(error != nullptr ? error : "cannot load " + path);
  }
  return SharedLibrary(handle, path);
}

void* SharedLibrary::Symbol(const char* symbol) const { return dlsym(handle_, symbol); }

}  // namespace parlab
