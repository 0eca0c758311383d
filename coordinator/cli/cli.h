#pragma once
// The parlab command line: parses argv, dispatches to a command, returns the
// process exit code (0 ok, 1 the job ran and failed, 2 bad usage or input).

namespace parlab {

int RunCli(int argc, char** argv);

}  // namespace parlab
