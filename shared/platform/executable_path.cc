#include "shared/platform/executable_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace parlab {

const char* SelfExecutableLink() { return "/proc/self/exe"; }

Result<std::string> SelfExecutablePath() {
  char buffer[4096];
  const ssize_t n = readlink(SelfExecutableLink(), buffer, sizeof(buffer) - 1);
  if (n <= 0) {
    return Internal(std::string("readlink ") + SelfExecutableLink() + ": " + std::strerror(errno));
  }
  return std::string(buffer, static_cast<size_t>(n));
}

std::string ExecutableDir() {
  Result<std::string> path = SelfExecutablePath();
  if (!path.ok()) return ".";
  const size_t slash = path->rfind('/');
  return slash == std::string::npos ? "." : path->substr(0, slash);
}

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(path.c_str(), X_OK) == 0;
}

Status ExecSelf(char** argv) {
  execv(SelfExecutableLink(), argv);
  return Internal(std::string("execv ") + SelfExecutableLink() + ": " + std::strerror(errno));
}

std::optional<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    // An empty entry means the current directory to a shell; not here: a
    // program must not be picked up from wherever we happen to run.
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace parlab
