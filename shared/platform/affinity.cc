#include "shared/platform/affinity.h"

#include <sched.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace parlab {

Result<std::vector<int>> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) {
    return Internal(std::string("sched_getaffinity: ") + std::strerror(errno));
  }
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

Status PinToCpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) {
    return InvalidArgument("cpu " + std::to_string(cpu) + " is out of range");
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof(set), &set) != 0) {
    const int err = errno;
    return InvalidArgument("cannot pin to cpu " + std::to_string(cpu) + ": " + std::strerror(err) +
                           " (is it in this process's affinity mask?)");
  }
  return Status::Ok();
}

int CurrentCpu() { return sched_getcpu(); }

}  // namespace parlab
