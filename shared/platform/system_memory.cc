#include "shared/platform/system_memory.h"

#include <sys/statvfs.h>

#include <fstream>

namespace parlab {

uint64_t AvailableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

FreeSpace FreeBytesOn(const std::string& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) return {};
  const auto block = static_cast<uint64_t>(fs.f_frsize);
  return {true, static_cast<uint64_t>(fs.f_bavail) * block,
          static_cast<uint64_t>(fs.f_blocks) * block};
}

}  // namespace parlab
