#include "shared/platform/process_self.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace parlab {

Status ReplaceProcessImage(const std::string& path, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execv(path.c_str(), argv.data());
  return Unavailable("cannot run " + path + ": " + std::strerror(errno));
}

void IgnoreTerminationSignal() { std::signal(SIGTERM, SIG_IGN); }

}  // namespace parlab
