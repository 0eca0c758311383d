#include "shared/platform/unique_fd.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "shared/clock.h"

namespace parlab {

void UniqueFd::Reset(int fd) {
  // No retry on EINTR: on Linux the descriptor is released even then, and a
  // second close could hit a descriptor another thread has just opened.
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

Result<std::string> ReadToEnd(int fd, int64_t deadline_ns) {
  std::string out;
  char buffer[4096];
  for (;;) {
    int wait_ms = -1;
    if (deadline_ns >= 0) {
      const int64_t left_ns = deadline_ns - NowNs();
      if (left_ns <= 0) return DeadlineExceeded("no end of stream before the deadline");
      // Rounded up, so a wait never ends just short of the deadline and spins.
      wait_ms = static_cast<int>(std::min<int64_t>((left_ns + 999'999) / 1'000'000, 60'000));
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, wait_ms);
    if (ready < 0 && errno != EINTR) return Internal(std::string("poll: ") + std::strerror(errno));
    if (ready <= 0) continue;
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got > 0) {
      out.append(buffer, static_cast<size_t>(got));
    } else if (got == 0) {
      return out;
    } else if (errno != EINTR && errno != EAGAIN) {
      return Internal(std::string("read: ") + std::strerror(errno));
    }
  }
}

}  // namespace parlab
