// parlab: the coordinator's command line. Everything lives in parlab_coordinator_lib.
#include "coordinator/cli/cli.h"

int main(int argc, char** argv) { return parlab::RunCli(argc, argv); }
