#include "coordinator/cli/mpi_run.h"

#include <unistd.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "coordinator/cli/command.h"
#include "coordinator/runtime/mpi_launch.h"
#include "coordinator/runtime/worker_pool.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/process_self.h"
#include "shared/shm/wait_policy.h"
#ifdef PARLAB_HAVE_MPI
#include "shared/mpi/mpi_world.h"
#endif

namespace parlab {
namespace {

std::vector<std::string>& CommandLine() {
  static std::vector<std::string> args;
  return args;
}

// parlab's arguments without the program name and without --hosts/--hostfile
// (mpirun gets those).
std::vector<std::string> ArgsForRanks() {
  std::vector<std::string> kept;
  const std::vector<std::string>& args = CommandLine();
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--hosts" || arg == "--hostfile") {
      ++i;  // and its value
      continue;
    }
    if (arg.rfind("--hosts=", 0) == 0 || arg.rfind("--hostfile=", 0) == 0) continue;
    kept.push_back(args[i]);
  }
  return kept;
}

int BecomeWorker(pb::WaitPolicy wait) {
  const std::string worker = WorkerBinaryPath();
  const std::vector<std::string> args = {"parlab-worker", "--transport", "mpi", "--wait",
                                         WaitPolicyName(FromProto(wait))};
  return ReportError(ReplaceProcessImage(worker, args));  // returns only on failure
}

int BecomeMpirun(const pb::JobSpec& job, const MpiRunFlags& flags) {
  const std::optional<std::string> mpirun = FindOnPath("mpirun");
  if (!mpirun) {
    return ReportError(FailedPrecondition(
        "--transport mpi: mpirun is not on PATH (Debian: apt-get install openmpi-bin)"));
  }
  Result<std::string> self = SelfExecutablePath();
  if (!self.ok()) return ReportError(self.status());
  MpirunPlan plan;
  plan.workers = job.workers();
  plan.hosts = flags.hosts;
  plan.hostfile = flags.hostfile;
  plan.as_root = geteuid() == 0;
  plan.parlab = *self;
  plan.args = ArgsForRanks();
  std::vector<std::string> command = MpirunCommand(plan);
  std::cerr << "parlab: running " << ShellLine(command) << "\n";
  command.front() = "mpirun";
  return ReportError(ReplaceProcessImage(*mpirun, command));
}

// Rank 0 is the run's first process: it calibrates the stamp clock as one
// (mpirun's start left it CLOCK_MONOTONIC), first thing, so that every stamp
// of the command reads one clock — the shm rows of bench ipc too, before MPI
// starts — and the ranks on its node adopt the same (shared/mpi/mpi_world.h).
void StartStampClockOfRankZero() {
#ifdef PARLAB_HAVE_MPI
  UseOwnStampClock();
#endif
}

}  // namespace

std::optional<int> BecomeMpiWorkerOnRanksAboveZero(pb::WaitPolicy wait) {
  const MpiLaunch launch = DetectMpiLaunch();
  if (!launch.under_mpirun) return std::nullopt;
  if (launch.rank == 0) {
    StartStampClockOfRankZero();
    return std::nullopt;
  }
  return BecomeWorker(wait);
}

void SetCommandLine(int argc, char** argv) { CommandLine().assign(argv, argv + argc); }

std::optional<int> RouteMpiRun(const pb::JobSpec& job, const MpiRunFlags& flags) {
  const MpiLaunch launch = DetectMpiLaunch();
  if (!launch.under_mpirun) return BecomeMpirun(job, flags);
  if (launch.rank > 0) return BecomeWorker(job.wait());
  if (!flags.hosts.empty() || !flags.hostfile.empty()) {
    return ReportError(InvalidArgument(
        "--hosts and --hostfile start mpirun; under mpirun already, give them to mpirun"));
  }
  if (launch.size < 2) {
    return ReportError(InvalidArgument(
        "mpirun started 1 rank: --transport mpi needs rank 0 to coordinate and at least one "
        "more to work (mpirun -n 2 or more)"));
  }
  if (flags.workers_given && job.workers() > launch.size - 1) {
    return ReportError(InvalidArgument("--workers " + std::to_string(job.workers()) +
                                       " but mpirun started " + std::to_string(launch.size) +
                                       " ranks: rank 0 coordinates, so --workers can be at most " +
                                       std::to_string(launch.size - 1) + " (or left out)"));
  }
  StartStampClockOfRankZero();
  return std::nullopt;
}

}  // namespace parlab
