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

namespace {

// Builds messages only on failure: PinToCpu's success must not allocate.
Status Apply(const cpu_set_t& set, int cpu, const char* what) {
  if (sched_setaffinity(0, sizeof(set), &set) == 0) return Status::Ok();
  const int err = errno;
  return InvalidArgument(std::string("cannot ") + what + " cpu " + std::to_string(cpu) + ": " +
                         std::strerror(err) + " (is it in this process's affinity mask?)");
}

Status OutOfRange(int cpu) {
  return InvalidArgument("cpu " + std::to_string(cpu) + " is out of range");
}

}  // namespace

Status SetAllowedCpus(const std::vector<int>& cpus) {
  if (cpus.empty()) return InvalidArgument("no cpu to run on: the list is empty");
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return OutOfRange(cpu);
    CPU_SET(cpu, &set);
  }
  return Apply(set, cpus.front(), "run on");
}

Status PinToCpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return OutOfRange(cpu);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return Apply(set, cpu, "pin to");
}

int CurrentCpu() { return sched_getcpu(); }

}  // namespace parlab
