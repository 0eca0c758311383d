#pragma once
// What the machine has free right now, for refusing a job before it starts:
// memory the kernel says can be allocated without swapping (MemAvailable) and
// the free bytes of a filesystem (statvfs; /dev/shm holds the segments).
// Snapshots only: another process may take the memory a moment later, so
// these are for readable early errors, not guarantees (Segment::Create's
// posix_fallocate is the guarantee for /dev/shm). Thread-safe.

#include <cstdint>
#include <string>

namespace parlab {

// MemAvailable from /proc/meminfo, in bytes; 0 when it cannot be read.
uint64_t AvailableMemoryBytes();

// Bytes an unprivileged process may still write on the filesystem holding
// `path` (f_bavail × f_frsize), and its size (f_blocks × f_frsize); zeros
// with `known` false when statvfs fails. The one statvfs reader: the job's
// resource check, Segment::Create and `parlab env` all ask here.
struct FreeSpace {
  bool known = false;
  uint64_t bytes = 0;
  uint64_t total_bytes = 0;
};
FreeSpace FreeBytesOn(const std::string& path);

}  // namespace parlab
