#include "coordinator/cli/cli.h"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "coordinator/cli/advise_command.h"
#include "coordinator/cli/analyse_command.h"
#include "coordinator/cli/bench_command.h"
#include "coordinator/cli/chaos_command.h"
#include "coordinator/cli/clean_command.h"
#include "coordinator/cli/command.h"
#include "coordinator/cli/compare_command.h"
#include "coordinator/cli/env_command.h"
#include "coordinator/cli/memory_command.h"
#include "coordinator/cli/metg_command.h"
#include "coordinator/cli/mpi_run.h"
#include "coordinator/cli/profile_command.h"
#include "coordinator/cli/report_command.h"
#include "coordinator/cli/run_command.h"
#include "coordinator/cli/sweep_command.h"
#include "coordinator/cli/timeit_command.h"
#include "coordinator/cli/tour_command.h"

namespace parlab {

int RunCli(int argc, char** argv) {
  CLI::App app{
      "parlab: a multi-process job runner and a laboratory for parallelism.\n"
      "The same workload runs sequentially, on threads, on threads under one global\n"
      "lock (CPython's GIL), with BLAS threads inside a task, compared side by side."};
  app.require_subcommand(1);
  // `run --cmd 'echo {}' ::: a b c`: what follows ::: are inputs, taken off
  // before CLI11 parses (it would read them as the workload and flags).
  std::vector<std::string> arguments;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) != ":::") continue;
    arguments.assign(argv + i + 1, argv + argc);
    argc = i;
    break;
  }
  app.set_version_flag("--version", "parlab 0.1.0");
  std::vector<Command> commands = {
      AddRunCommand(app, arguments), AddCompareCommand(app), AddEnvCommand(app),
      AddBenchCommand(app),          AddChaosCommand(app),   AddMemoryCommand(app),
      AddTimeitCommand(app),         AddProfileCommand(app), AddAdviseCommand(app),
      AddTourCommand(app),           AddSweepCommand(app),   AddMetgCommand(app),
      AddAnalyseCommand(app),        AddReportCommand(app),  AddCleanCommand(app),
  };
  SetCommandLine(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}

}  // namespace parlab
