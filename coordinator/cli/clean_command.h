#pragma once
// `parlab clean [--dry-run]`: removes the shared-memory segments that a
// coordinator killed with SIGKILL left in /dev/shm (/dev/shm/parlab-<pid>-*
// of this user whose <pid> no longer runs), printing each with its size.
// A live coordinator's segments are never touched.
//
// RemoveOrphansAtStart() is the same sweep for `parlab run` and `compare`,
// which report what they removed in one line on stderr.

#include <ostream>

#include "coordinator/cli/command.h"

namespace parlab {

Command AddCleanCommand(CLI::App& app);

// Removes orphaned segments; prints "parlab: removed N orphaned segment(s)
// ..." to `err` when there were any, and a warning if the sweep failed (a
// failed sweep never stops a run).
void RemoveOrphansAtStart(std::ostream& err);

}  // namespace parlab
