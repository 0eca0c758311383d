#include "shared/shm/segment.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>

#include "shared/platform/system_memory.h"

namespace parlab {

namespace bip = boost::interprocess;

namespace {

constexpr const char* kShmDir = "/dev/shm";
constexpr std::string_view kNamePrefix = "parlab-";

std::string Errno(int err) { return std::strerror(err); }

Status CheckName(const std::string& name) {
  if (name.size() < 2 || name[0] != '/' || name.find('/', 1) != std::string::npos ||
      name.size() > 255) {
    return InvalidArgument("shm segment name '" + name +
                           "' must be '/' followed by 1..254 characters without '/'");
  }
  return Status::Ok();
}

Status FromException(const std::string& what, const std::string& name,
                     const bip::interprocess_exception& e) {
  const std::string message = what + " " + name + ": " + e.what();
  switch (e.get_error_code()) {
    case bip::already_exists_error:
      return FailedPrecondition(message + " (already exists; is another job using the name?)");
    case bip::not_found_error:
      return NotFound(message + " (no such segment; has the coordinator exited?)");
    case bip::security_error:
      return FailedPrecondition(message + " (permission denied)");
    case bip::out_of_space_error:
    case bip::out_of_memory_error:
      return ResourceExhausted(message);
    default:
      return Internal(message);
  }
}

uint64_t FreeShmBytes() {
  const FreeSpace free = FreeBytesOn(kShmDir);
  return free.known ? free.bytes : UINT64_MAX;  // unknown: let fallocate decide
}

Status NoSpace(const std::string& name, size_t bytes) {
  return ResourceExhausted("shm segment " + name + " needs " + std::to_string(bytes) +
                           " bytes but " + kShmDir + " has " + std::to_string(FreeShmBytes()) +
                           " bytes free; run `parlab clean`, use a smaller job, or enlarge " +
                           kShmDir);
}

// Touches one byte per page so the page tables are filled now rather than on
// the first task. The creator writes (the pages are fresh zeroes and it owns
// them); an opener only reads, because the creator's data is already there.
void Prefault(std::byte* data, size_t bytes, bool write) {
  const size_t page = bip::mapped_region::get_page_size();
  volatile std::byte* p = data;
  for (size_t i = 0; i < bytes; i += page) {
    if (write) {
      p[i] = std::byte{0};
    } else {
      static_cast<void>(p[i]);
    }
  }
}

}  // namespace

struct Segment::Impl {
  bip::shared_memory_object object;
  bip::mapped_region region;
};

Segment::Segment(std::unique_ptr<Impl> impl, std::string name, pid_t creator_pid)
    : impl_(std::move(impl)),
      data_(static_cast<std::byte*>(impl_->region.get_address())),
      size_(impl_->region.get_size()),
      name_(std::move(name)),
      creator_pid_(creator_pid) {}

Segment::Segment(Segment&& other) noexcept
    : impl_(std::move(other.impl_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      name_(std::move(other.name_)),
      creator_pid_(std::exchange(other.creator_pid_, 0)) {}

Segment& Segment::operator=(Segment&& other) noexcept {
  if (this != &other) {
    Segment old(std::move(*this));  // releases what this held, at the end of the scope
    impl_ = std::move(other.impl_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    name_ = std::move(other.name_);
    creator_pid_ = std::exchange(other.creator_pid_, 0);
  }
  return *this;
}

Segment::~Segment() {
  // Unlink before unmapping so that no new Open() can race with our teardown.
  if (creator_pid_ != 0 && creator_pid_ == getpid()) {
    static_cast<void>(Unlink());
  }
  // impl_'s mapped_region and shared_memory_object unmap and close.
}

Status Segment::Unlink() {
  if (creator_pid_ == 0) return Status::Ok();
  creator_pid_ = 0;
  if (shm_unlink(name_.c_str()) != 0 && errno != ENOENT) {
    return Internal("shm_unlink " + name_ + ": " + Errno(errno));
  }
  return Status::Ok();
}

Result<Segment> Segment::Create(std::string name, size_t bytes) {
  PARLAB_RETURN_IF_ERROR(CheckName(name));
  if (bytes == 0) return InvalidArgument("shm segment " + name + ": size must be > 0");
  // Cheap, readable refusal first; posix_fallocate below is the real guarantee
  // (another process may fill /dev/shm between the two).
  if (bytes > FreeShmBytes()) return NoSpace(name, bytes);

  auto impl = std::make_unique<Impl>();
  try {
    impl->object = bip::shared_memory_object(bip::create_only, name.c_str(), bip::read_write,
                                             bip::permissions(0600));
  } catch (const bip::interprocess_exception& e) {
    return FromException("cannot create shm segment", name, e);
  }
  // From here on the name exists: every failure removes it again.
  auto fail = [&name](Status status) {
    shm_unlink(name.c_str());
    return status;
  };
  try {
    impl->object.truncate(static_cast<bip::offset_t>(bytes));
    const int fd = impl->object.get_mapping_handle().handle;
    // tmpfs allocates pages lazily; without this a full /dev/shm shows up as
    // SIGBUS on first touch, in whichever process touches first.
    if (const int err = posix_fallocate(fd, 0, static_cast<off_t>(bytes)); err != 0) {
      if (err == ENOSPC) return fail(NoSpace(name, bytes));
      return fail(Internal("posix_fallocate " + name + ": " + Errno(err)));
    }
    impl->region = bip::mapped_region(impl->object, bip::read_write);
  } catch (const bip::interprocess_exception& e) {
    return fail(FromException("cannot size or map shm segment", name, e));
  }
  Prefault(static_cast<std::byte*>(impl->region.get_address()), bytes, /*write=*/true);
  return Segment(std::move(impl), std::move(name), getpid());
}

Result<Segment> Segment::Open(std::string name) {
  PARLAB_RETURN_IF_ERROR(CheckName(name));
  auto impl = std::make_unique<Impl>();
  try {
    impl->object = bip::shared_memory_object(bip::open_only, name.c_str(), bip::read_write);
    bip::offset_t size = 0;
    if (!impl->object.get_size(size) || size <= 0) {
      return FailedPrecondition("shm segment " + name + " is empty (creator not finished?)");
    }
    impl->region = bip::mapped_region(impl->object, bip::read_write);
  } catch (const bip::interprocess_exception& e) {
    return FromException("cannot open shm segment", name, e);
  }
  Prefault(static_cast<std::byte*>(impl->region.get_address()), impl->region.get_size(),
           /*write=*/false);
  return Segment(std::move(impl), std::move(name), 0);
}

std::string Segment::MakeName() {
  std::random_device random;  // /dev/urandom or getrandom() in libstdc++
  const uint64_t bits = (static_cast<uint64_t>(random()) << 32) ^ random();
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(bits));
  return "/" + std::string(kNamePrefix) + std::to_string(getpid()) + "-" + hex;
}

namespace {

// "parlab-<pid>-<anything>" -> pid, or 0 if the name is not ours.
pid_t ParseOwnerPid(std::string_view name) {
  if (name.substr(0, kNamePrefix.size()) != kNamePrefix) return 0;
  name.remove_prefix(kNamePrefix.size());
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0) return 0;
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  // pid <= 0 must never reach kill(): 0 and -1 address process groups.
  if (ec != std::errc() || end != name.data() + dash || pid <= 0) return 0;
  return pid;
}

// This user's regular files in /dev/shm named as segments, that `keep` accepts.
template <typename Keep>
Result<std::vector<SegmentFile>> ScanSegments(Keep keep) {
  DIR* dir = opendir(kShmDir);
  if (dir == nullptr) return Internal(std::string("opendir ") + kShmDir + ": " + Errno(errno));
  std::vector<SegmentFile> found;
  const uid_t me = geteuid();
  while (const dirent* entry = readdir(dir)) {
    const pid_t pid = ParseOwnerPid(entry->d_name);
    if (pid == 0) continue;
    struct stat st {};
    if (fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode) || st.st_uid != me || !keep(pid)) continue;
    found.push_back({std::string("/") + entry->d_name, pid, static_cast<uint64_t>(st.st_size)});
  }
  closedir(dir);
  return found;
}

}  // namespace

Result<std::vector<SegmentFile>> ListSegmentsOf(pid_t owner_pid) {
  return ScanSegments([owner_pid](pid_t pid) { return pid == owner_pid; });
}

Result<std::vector<SegmentFile>> ListOrphanSegments() {
  // EPERM means the pid runs under another user: alive, not ours to judge.
  return ScanSegments([](pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; });
}

Result<std::vector<SegmentFile>> RemoveOrphanSegments() {
  PARLAB_ASSIGN_OR_RETURN(std::vector<SegmentFile> orphans, ListOrphanSegments());
  std::vector<SegmentFile> removed;
  for (SegmentFile& orphan : orphans) {
    if (shm_unlink(orphan.name.c_str()) == 0) {
      removed.push_back(std::move(orphan));
    } else if (errno != ENOENT) {  // ENOENT: another `parlab clean` got there first
      return Internal("shm_unlink " + orphan.name + ": " + Errno(errno));
    }
  }
  return removed;
}

}  // namespace parlab
