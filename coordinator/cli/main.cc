// parlab: the coordinator's command line. Everything lives in parlab_coordinator_lib.
#include "coordinator/cli/cli.h"
#include "coordinator/cli/openblas_restart.h"

int main(int argc, char** argv) {
  parlab::RestartOnBestOpenBlasCore(argv);  // may execute this binary again
  return parlab::RunCli(argc, argv);
}
