#pragma once
// The processes of this machine, from /proc: what `parlab chaos` picks its
// victims from, and what the tests check is empty after a job (no orphan
// workers, no unreaped ones). Racy by nature — a process may end between the
// scan and any use of its pid — so callers treat the lists as hints.

#include <sys/types.h>

#include <string>
#include <vector>

namespace parlab {

// One process as /proc showed it during the scan.
struct ProcessEntry {
  pid_t pid = 0;
  pid_t parent = 0;
  char state = 0;       // /proc/PID/stat's letter: 'Z' is a zombie (ended, not reaped)
  std::string comm;     // the command name, at most 15 characters
  std::string cmdline;  // the arguments joined by spaces; empty for a zombie
};

// Every process whose /proc entry could be read.
std::vector<ProcessEntry> ListProcesses();

// Pids whose parent is `parent` and whose command name (/proc/PID/comm, at
// most 15 characters) is `comm`; zombies excluded, they are already gone.
std::vector<pid_t> ChildrenNamed(pid_t parent, const std::string& comm);

// Whether `pid` names a process of this machine that has not ended: false for
// one that is gone or a zombie. Any process's, not only our children's (the
// mpi transport watches ranks that mpirun started).
bool ProcessRunning(pid_t pid);

}  // namespace parlab
