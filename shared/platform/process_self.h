#pragma once
// What a process does to itself, as opposed to a child (child_process.h):
// replace its own image (exec), and ignore SIGTERM. Used where parlab runs
// under mpirun, which starts every rank with the same command: ranks 1..N-1
// of `parlab run --transport mpi` become parlab-worker, in place, with the
// pid mpirun knows. Safe from any thread, but exec ends every other thread.

#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

// execv(path, args): returns only on failure, with the reason. args[0] is the
// program's name as it sees it.
Status ReplaceProcessImage(const std::string& path, const std::vector<std::string>& args);

// SIGTERM does nothing to this process from now on (SIGKILL still ends it).
void IgnoreTerminationSignal();

}  // namespace parlab
