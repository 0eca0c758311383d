#pragma once
// What the multi-process tests check is left behind: this process's segments.

#include <dirent.h>
#include <unistd.h>

#include <string>

namespace parlab {

// How many /dev/shm/parlab-<our pid>-* exist (every segment this process made).
inline int SegmentsOfThisProcess() {
  const std::string prefix = "parlab-" + std::to_string(getpid()) + "-";
  int count = 0;
  DIR* dir = opendir("/dev/shm");
  if (dir == nullptr) return 0;
  while (dirent* entry = readdir(dir)) {
    if (std::string(entry->d_name).rfind(prefix, 0) == 0) ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace parlab
