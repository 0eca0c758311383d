#include "coordinator/runtime/mpi_launch.h"

namespace parlab {

bool MpiTransportBuilt() {
#ifdef PARLAB_HAVE_MPI
  return true;
#else
  return false;
#endif
}

std::string HowToEnableMpi() {
  return "this parlab was built without MPI; install Open MPI (Debian: apt-get install "
         "libopenmpi-dev openmpi-bin, as scripts/setup.sh does) and configure again "
         "(cmake --preset ci; -DPARLAB_WITH_MPI=ON makes a missing MPI an error)";
}

std::vector<std::string> MpirunCommand(const MpirunPlan& plan) {
  std::vector<std::string> command = {"mpirun", "-n", std::to_string(plan.workers + 1)};
  if (plan.as_root) command.push_back("--allow-run-as-root");
  if (!plan.hosts.empty()) {
    command.insert(command.end(), {"--host", plan.hosts});
  }
  if (!plan.hostfile.empty()) {
    command.insert(command.end(), {"--hostfile", plan.hostfile});
  }
  if (plan.hosts.empty() && plan.hostfile.empty()) command.push_back("--oversubscribe");
  command.push_back(plan.parlab);
  command.insert(command.end(), plan.args.begin(), plan.args.end());
  return command;
}

std::string ShellLine(const std::vector<std::string>& command) {
  std::string line;
  for (const std::string& arg : command) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_./:=,@+%") == std::string::npos;
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) {
      if (c == '\'') {
        line += "'\\''";
      } else {
        line += c;
      }
    }
    line += '\'';
  }
  return line;
}

}  // namespace parlab
