#pragma once
// Segment: one named POSIX shared-memory object, mapped read-write into this
// process. The coordinator Create()s one per job; each worker Open()s it by
// name (passed on its command line). Move-only RAII: the destructor unmaps,
// and the creator's destructor also unlinks the name, so a finished or failed
// job leaves nothing in /dev/shm.
//
// Create() reserves every page up front (posix_fallocate) and pre-faults the
// mapping: a full /dev/shm is an error at creation, never a SIGBUS in the
// middle of a job, and no task pays for first-touch page faults (~2.7 us each
// on the development VM, more than a whole task round trip).
//
// Thread safety: a Segment object is not synchronised (one owner); the bytes it
// maps are shared with other processes, and what lives in them must be
// process-safe by itself (see ring.h, layout.h). Nothing read from the mapping
// is trusted: validate it (layout.h) before use.
//
// This file's .cc is the only one in parlab that includes Boost.Interprocess;
// its exceptions stop there and come back as Status.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

class Segment {
 public:
  // Creates `name` exclusively (fails with kFailedPrecondition if it exists),
  // mode 0600, `bytes` long (> 0), reserved, mapped, pre-faulted and zeroed.
  // `name` is a POSIX shm name: "/" then no other "/" (use MakeName()).
  // Fails with kResourceExhausted, naming the bytes needed and free, when
  // /dev/shm cannot hold it. On any failure nothing is left behind.
  static Result<Segment> Create(std::string name, size_t bytes);

  // Maps an existing segment (size from fstat) and pre-faults it. The opener
  // never unlinks. kNotFound if the name does not exist.
  static Result<Segment> Open(std::string name);

  // "/parlab-<pid>-<16 hex digits from std::random_device>": unguessable, and
  // the pid lets ListOrphanSegments() tell whether the owner is alive.
  static std::string MakeName();

  Segment(Segment&&) noexcept;
  Segment& operator=(Segment&&) noexcept;
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  ~Segment();

  // The mapping; valid until this object is destroyed or moved from.
  std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& name() const { return name_; }
  bool is_creator() const { return creator_pid_ != 0; }

  // Removes the name now (creator only; idempotent): later Open()s fail, the
  // mapping stays valid. Call it once every worker has attached to make the
  // segment vanish even if this process is later SIGKILLed.
  Status Unlink();

 private:
  struct Impl;
  Segment(std::unique_ptr<Impl> impl, std::string name, pid_t creator_pid);

  std::unique_ptr<Impl> impl_;
  std::byte* data_ = nullptr;
  size_t size_ = 0;
  std::string name_;
  // getpid() of the creator, 0 for an opener or after Unlink(). A child that
  // fork()s and then runs destructors (exit() rather than _exit()) must not
  // unlink its parent's segment, so the destructor compares it with getpid().
  pid_t creator_pid_ = 0;
};

// A segment named "parlab-<pid>-..." in /dev/shm, made by the process <pid>.
struct SegmentFile {
  std::string name;  // with the leading "/", as Segment::Open takes it
  pid_t owner_pid = 0;
  uint64_t bytes = 0;
};

// The parlab segments in /dev/shm made by `owner_pid` (a live coordinator's:
// what it has not removed yet; for checks that nothing is left behind).
Result<std::vector<SegmentFile>> ListSegmentsOf(pid_t owner_pid);

// Scans /dev/shm for orphaned parlab segments owned by this user (another
// user's files are never listed): those whose <pid> no longer runs
// (kill(pid, 0) fails with ESRCH), left by a coordinator that was SIGKILLed.
// Names that do not parse are skipped.
Result<std::vector<SegmentFile>> ListOrphanSegments();

// Unlinks every segment ListOrphanSegments() reports; returns those removed.
// For `parlab clean`. Safe to race with a live coordinator: a live pid's
// segments are never touched.
Result<std::vector<SegmentFile>> RemoveOrphanSegments();

}  // namespace parlab
