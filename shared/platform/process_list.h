#pragma once
// The live children of a process, from /proc: what `parlab chaos` picks its
// victims from, and what the tests check is empty after a job (no orphan
// workers). Racy by nature — a child may end between the scan and any use of
// its pid — so callers treat the list as a hint.

#include <sys/types.h>

#include <string>
#include <vector>

namespace parlab {

// Pids whose parent is `parent` and whose command name (/proc/PID/comm, at
// most 15 characters) is `comm`; zombies excluded, they are already gone.
std::vector<pid_t> ChildrenNamed(pid_t parent, const std::string& comm);

}  // namespace parlab
