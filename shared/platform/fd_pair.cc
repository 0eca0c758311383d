#include "shared/platform/fd_pair.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace parlab {

Result<std::pair<UniqueFd, UniqueFd>> MakeSocketPair(SocketType type) {
  const int kind = type == SocketType::kStream ? SOCK_STREAM : SOCK_SEQPACKET;
  int fds[2];
  if (socketpair(AF_UNIX, kind | SOCK_CLOEXEC, 0, fds) != 0) {
    return ResourceExhausted(std::string("socketpair failed: ") + std::strerror(errno));
  }
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

Result<std::pair<UniqueFd, UniqueFd>> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return ResourceExhausted(std::string("pipe2 failed: ") + std::strerror(errno));
  }
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

}  // namespace parlab
