#pragma once
// Where programs are: this executable (from /proc/self/exe, the one reader of
// it) and a program named without a directory (searched on $PATH, as a shell
// would). parlab finds parlab-worker next to itself (or where an install put
// it) and re-runs itself for the tour's and bench gemm's children.
// Thread-safe (reads only).

#include <optional>
#include <string>

#include "shared/status.h"

namespace parlab {

// This executable's path, as the kernel knows it. Errors: kInternal when
// /proc/self/exe cannot be read (no /proc).
Result<std::string> SelfExecutablePath();

// The directory of this executable; "." when it cannot be read.
std::string ExecutableDir();

// A path that executes this very binary even when a rebuild has replaced
// (deleted) the file at SelfExecutablePath(): give it as ChildSpec::path.
const char* SelfExecutableLink();

// True when `path` is a file this process may execute.
bool IsExecutableFile(const std::string& path);

// Replaces this process with a fresh run of this same binary, with `argv`
// and the current environment (what a variable read only when a library
// loads needs: coordinator/cli/openblas_restart.h). Returns only on failure,
// with kInternal naming errno.
Status ExecSelf(char** argv);

// The first executable file `name` in the directories of $PATH
// (/usr/bin:/bin when $PATH is unset; empty entries skipped); nullopt if none.
// `name` holds no '/'.
std::optional<std::string> FindOnPath(const std::string& name);

}  // namespace parlab
