#include "shared/platform/process_list.h"

#include <dirent.h>
#include <fcntl.h>

#include <cctype>
#include <optional>
#include <sstream>

#include "shared/platform/unique_fd.h"

namespace parlab {
namespace {

// A /proc file, whole; nullopt where it cannot be read. A process may end
// between readdir and the read, which then fails with ESRCH: std::ifstream's
// buffer reports that by throwing through an istreambuf_iterator, which took
// down a test under ASan's slower timing.
std::optional<std::string> ReadProcFile(const std::string& path) {
  const UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  Result<std::string> text = ReadToEnd(fd.get(), /*deadline_ns=*/-1);
  if (!text.ok()) return std::nullopt;
  return *std::move(text);
}

// /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and
// parentheses, so the fields after it are found from the last ')'.
bool ReadStat(const std::string& dir, ProcessEntry& entry) {
  const std::optional<std::string> line = ReadProcFile(dir + "/stat");
  if (!line.has_value()) return false;
  const size_t open = line->find('(');
  const size_t close = line->rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  std::istringstream rest(line->substr(close + 1));
  if (!(rest >> entry.state >> entry.parent)) return false;
  entry.comm = line->substr(open + 1, close - open - 1);
  return true;
}

}  // namespace

std::vector<ProcessEntry> ListProcesses() {
  std::vector<ProcessEntry> processes;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return processes;
  while (const dirent* found = readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(found->d_name[0]))) continue;
    const std::string dir = std::string("/proc/") + found->d_name;
    ProcessEntry entry;
    if (!ReadStat(dir, entry)) continue;  // ended since readdir
    entry.pid = static_cast<pid_t>(std::stol(found->d_name));
    std::optional<std::string> cmdline = ReadProcFile(dir + "/cmdline");
    if (!cmdline.has_value()) continue;  // ended since its stat was read
    entry.cmdline = *std::move(cmdline);
    for (char& c : entry.cmdline) {
      if (c == '\0') c = ' ';  // the arguments are NUL-separated
    }
    processes.push_back(std::move(entry));
  }
  closedir(proc);
  return processes;
}

std::vector<pid_t> ChildrenNamed(pid_t parent, const std::string& comm) {
  std::vector<pid_t> children;
  for (const ProcessEntry& process : ListProcesses()) {
    if (process.parent != parent || process.state == 'Z' || process.state == 'X') continue;
    if (process.comm != comm.substr(0, 15)) continue;
    children.push_back(process.pid);
  }
  return children;
}

bool ProcessRunning(pid_t pid) {
  if (pid <= 0) return false;
  ProcessEntry entry;
  if (!ReadStat("/proc/" + std::to_string(pid), entry)) return false;
  return entry.state != 'Z' && entry.state != 'X';
}

}  // namespace parlab
