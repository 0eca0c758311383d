#include "shared/platform/process_list.h"

#include <dirent.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace parlab {

std::vector<pid_t> ChildrenNamed(pid_t parent, const std::string& comm) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (const dirent* entry = readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and
    // parentheses, so the fields after it are found from the last ')'.
    std::ifstream stat(std::string("/proc/") + entry->d_name + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t open = line.find('(');
    const size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t ppid = 0;
    if (!(rest >> state >> ppid)) continue;
    if (ppid != parent || state == 'Z' || state == 'X') continue;
    if (line.substr(open + 1, close - open - 1) != comm.substr(0, 15)) continue;
    children.push_back(static_cast<pid_t>(std::stol(entry->d_name)));
  }
  closedir(proc);
  return children;
}

}  // namespace parlab
